// Which section of the article (site_templates/article.html.j2) explains a layer. No DOM.

/** The id of the article section that explains spec layer `layer` ({kind: "input"} for the input), or null. */
export function sectionOf(layer) {
  switch (layer.kind) {
    case "input":
    case "rescaling":
      return "article-input";
    case "conv":
      return "article-convolution";
    case "activation":
      return layer.function === "softmax" ? "article-output" : "article-relu";
    case "pool":
      return "article-pooling";
    case "flatten":
      return "article-flatten";
    case "dense":
      return "article-output";
    default:
      return null;
  }
}
