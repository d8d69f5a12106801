// The article's formulas in TeX, by name (site_templates/article.<lang>.html.j2 show them with formula("name")).
// build.mjs renders them with KaTeX into dist/formulas.json; the page never runs KaTeX.

/**
 * name -> {tex, display, languages?}: display formulas get a line of their own, the others sit in the text; a formula
 * with words has its TeX per language in `languages` ({zh: ...}), rendered as "name.zh".
 */
export const FORMULAS = {
  neuron: { tex: String.raw`a = f\Big(b + \sum_{i} w_i\,x_i\Big)`, display: true },
  input: {
    tex: String.raw`x_{y,x,c} = \frac{\text{pixel}_{y,x,c}}{d}`,
    display: true,
    languages: { zh: String.raw`x_{y,x,c} = \frac{\text{像素}_{y,x,c}}{d}` },
  },
  convolution: {
    tex: String.raw`z_{y,x,k} = b_k + \sum_{c}\,\sum_{u=0}^{K-1}\sum_{v=0}^{K-1} w_{u,v,c,k}\;\tilde a_{Sy+u,\;Sx+v,\;c}`,
    display: true,
  },
  outputSize: { tex: String.raw`O = \frac{W - K + 2P}{S} + 1`, display: true },
  relu: { tex: String.raw`\operatorname{ReLU}(z) = \max(0,\, z)`, display: true },
  maxPool: { tex: String.raw`m_{y,x,c} = \max_{0 \le u,\,v < p}\; a_{sy+u,\;sx+v,\;c}`, display: true },
  maxPool2: {
    tex: String.raw`m_{y,x,c} = \max\begin{pmatrix} a_{2y,\,2x,\,c} & a_{2y,\,2x+1,\,c} \\ a_{2y+1,\,2x,\,c} & a_{2y+1,\,2x+1,\,c} \end{pmatrix}`,
    display: true,
  },
  flatten: { tex: String.raw`v_{(yW + x)\,C + c} = m_{y,x,c}`, display: true },
  logit: { tex: String.raw`z_k = b_k + \sum_{i} v_i\, w_{i,k}`, display: true },
  softmax: { tex: String.raw`p_k = \frac{e^{z_k}}{\sum_{j} e^{z_j}}`, display: true },
};
