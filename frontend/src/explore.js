// dist/explore.js: what the visitor explores from the first picture, a script of its own that the page loads once
// TF.js has computed that picture's image (main.js): the views of each neuron, the test-set insights and the note on
// unfamiliar images, and the article. The first picture needs none of them, and they are over half of the page's own
// code.

import { followJumps, mountArticle } from "./article/article.js";
import { loadInsights, mountInsights } from "./insights/insights.js";
import { createUnfamiliarNote } from "./insights/unfamiliar.js";
import { createViewHost } from "./views/host.js";

window.cnnExplain.features.explore = {
  createUnfamiliarNote,
  createViewHost,
  followJumps,
  loadInsights,
  mountArticle,
  mountInsights,
};
