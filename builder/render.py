"""Render the site: Jinja2 templates, the bundled front end and the page payload, into a folder."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import __version__
from .errors import ExplainError
from .i18n import DEFAULT_LANGUAGE, translator
from .insights import picker_mistakes

PACKAGE = Path(__file__).resolve().parent
# Installed from a wheel, the templates and the built front end are inside the package (pyproject.toml); in a
# checkout (or an editable install) they are the folders beside builder/.
INSTALLED = (PACKAGE / "site_templates").is_dir()
TEMPLATES = PACKAGE / "site_templates" if INSTALLED else PACKAGE.parent / "site_templates"
FRONTEND_BUNDLE = PACKAGE / "frontend" if INSTALLED else PACKAGE.parent / "frontend" / "dist"
REBUILD = (
    "install a wheel built by scripts/wheel.sh, which builds the front end first"
    if INSTALLED
    else "run `npm ci && npm run build` in frontend/ (scripts/build.sh does it)"
)
LOCALES = TEMPLATES / "locales"  # one message catalog per language (i18n.py)
BUNDLE_FILES = ("app.js", "app.css", "explore.js", "runtime.js")  # loaded once the first picture is drawn: the views,
# the insights and the article (explore.js), and TF.js (runtime.js)
FEATURES = (
    "tour",
    "whatif",
    "training",
)  # what the page loads only when the visitor asks for it: <name>.js and .css (frontend/build.mjs)
WASM_SCRIPT = "wasm.js"  # TF.js's WebAssembly backend (frontend/src/model/wasm.js), only in sites that use it
SITE_FILES = ("favicon.svg",)  # copied from site_templates/ as they are
BUNDLE_FOLDERS = ("fonts",)  # the KaTeX fonts the article's formulas use
FORMULAS = "formulas.json"  # the article's formulas as HTML (frontend/build.mjs); read here, not copied


@dataclass(frozen=True)
class Page:
    """What the page says and how it starts, besides the model and the samples: the model spec, the test metrics and
    insights (insights.py; None without a dataset), each language's messages (its catalog, i18n.load_catalogs),
    class names and title, the language it opens in, and the TF.js backend it starts with (budget.choose_backend:
    "cpu" or "wasm")."""

    spec: dict
    languages: dict[str, dict]
    language: str = DEFAULT_LANGUAGE
    metrics: dict | None = None
    insights: dict | None = None
    backend: str = "cpu"
    training: dict | None = None  # training.py: the images the page trains on, or {"problem": why it cannot}

    @property
    def wasm(self) -> bool:
        """Whether the page runs the model on TF.js's WebAssembly backend, whose script the site then carries."""
        return self.backend == "wasm"


def formula_lookup(bundle: Path = FRONTEND_BUNDLE) -> Callable[[str], Markup]:
    """The template function formula(name): the HTML of the article's formula `name`, read from the bundle."""
    formulas: dict[str, str] = {}

    def formula(name: str) -> Markup:
        if not formulas:
            path = bundle / FORMULAS
            if not path.is_file():
                raise ExplainError(f"the front-end bundle is missing {FORMULAS} in {bundle}: {REBUILD}")
            formulas.update(json.loads(path.read_text(encoding="utf-8")))
        if name not in formulas:
            raise ExplainError(f"no formula named {name!r} in {bundle / FORMULAS}; there are {', '.join(formulas)}")
        return Markup(formulas[name])

    return formula


def template_environment(folder: Path = TEMPLATES, bundle: Path = FRONTEND_BUNDLE) -> jinja2.Environment:
    """The Jinja2 environment for the site templates: autoescaping on, undefined names are errors, formula(name)."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.globals["formula"] = formula_lookup(bundle)
    # the pieces of markup messages are filled with (i18n.translator escapes everything else)
    environment.globals["bdi_bold"] = lambda name: Markup("<b><bdi>{}</bdi></b>").format(name)
    environment.globals["coloured"] = lambda colour, text: Markup('<span class="{}">{}</span>').format(colour, text)
    return environment


def payload_script(payload: dict, variable: str = "CNN_EXPLAIN") -> str:
    """The classic script that hands the payload to the page (fetch() fails under file://)."""
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return f"window.{variable}={text};\n"


INSIGHTS_VARIABLE = "CNN_EXPLAIN_INSIGHTS"  # data/insights.js, loaded by the page when it shows the insights
TRAINING_VARIABLE = "CNN_EXPLAIN_TRAINING"  # data/training.js, loaded when the visitor opens the training panel


def insights_summary(insights: dict | None) -> dict | None:
    """What the page template knows of the insights: the dataset, the test images and the share the model gets
    right (the matrix's), whether training curves exist."""
    if insights is None:
        return None
    return {
        "dataset": insights["dataset"],
        "test_count": insights["test_count"],
        "accuracy": insights["accuracy"],
        "has_history": insights.get("history") is not None,
    }


def copy_bundle(site: Path, bundle: Path = FRONTEND_BUNDLE, wasm: bool = False) -> None:
    """Copy the bundled front end (frontend/dist) into the site, its features loaded when asked for among it; with
    `wasm`, TF.js's WebAssembly backend too."""
    features = tuple(f"{name}.{kind}" for name in FEATURES for kind in ("js", "css"))
    files = BUNDLE_FILES + features + ((WASM_SCRIPT,) if wasm else ())
    missing = [name for name in files if not (bundle / name).is_file()]
    missing += [f"{name}/" for name in BUNDLE_FOLDERS if not (bundle / name).is_dir()]
    if missing:
        raise ExplainError(f"the front-end bundle is missing {', '.join(missing)} in {bundle}: {REBUILD}")
    for name in files:
        shutil.copyfile(bundle / name, site / name)
    for name in BUNDLE_FOLDERS:
        shutil.copytree(bundle / name, site / name, dirs_exist_ok=True)


def page_languages(page: Page, folder: Path = TEMPLATES) -> list[dict]:
    """What the page template needs of each language, the one the page opens in first: its code and name, t()
    (i18n.translator), formula() in that language, its title, and the spec and metrics with the class names in
    that language."""
    languages, metrics = page.languages, page.metrics
    order = [page.language, *(code for code in languages if code != page.language)]
    lookup = formula_lookup()
    result = []
    for code in order:
        names = list(languages[code]["classes"])
        local_metrics = metrics
        if metrics is not None and metrics.get("per_class_accuracy") is not None:
            accuracy = list(metrics["per_class_accuracy"].values())
            local_metrics = {**metrics, "per_class_accuracy": dict(zip(names, accuracy, strict=True))}
        article = f"article.{code}.html.j2"
        result.append(
            {
                "code": code,
                "name": languages[code]["messages"]["language.name"],
                "t": translator(languages[code]["messages"], code),
                "formula": _formula_in(lookup, code),
                "title": languages[code]["title"],
                "spec": {**page.spec, "classes": names},
                "metrics": local_metrics,
                # a language without an article of its own shows the English one, marked as English
                "article": article if (folder / article).is_file() else f"article.{DEFAULT_LANGUAGE}.html.j2",
                "article_lang": code if (folder / article).is_file() else DEFAULT_LANGUAGE,
            }
        )
    return result


def _formula_in(lookup: Callable[[str], Markup], code: str) -> Callable[[str], Markup]:
    """formula(name) for the article in language `code`: the formula's variant in that language ("input.zh", for a
    formula with words in it) where there is one."""

    def formula(name: str) -> Markup:
        try:
            return lookup(f"{name}.{code}")
        except ExplainError:
            return lookup(name)

    return formula


def render_page(page: Page, asset_version: str = __version__) -> str:
    """index.html: the page in its language, header and controls; the article comes from language_texts."""
    return (
        template_environment()
        .get_template("index.html.j2")
        .render(languages=page_languages(page), spec=page.spec, asset_version=asset_version, wasm=page.wasm)
    )


LANGUAGE_VARIABLE = "CNN_EXPLAIN_LANGUAGES"  # data/language.<code>.js: each adds its language to this object
# a section of the article up to its heading, the rest of it, its end (the templates' sections do not nest)
SECTION = re.compile(r"(<section\b[^>]*>.*?</h3>)(.*?)(</section>)", re.S)


def split_article(html: str) -> tuple[str, list[str]]:
    """The article as its shell (its title, contents bar and each section's heading, the rest of each section left
    for a <div class="section-rest" data-rest="i">) and the rests, which the page builds when they come near."""
    rests: list[str] = []

    def shell(match: re.Match) -> str:
        rests.append(match.group(2))
        return f'{match.group(1)}<div class="section-rest" data-rest="{len(rests) - 1}"></div>{match.group(3)}'

    result = SECTION.sub(shell, html)
    if len(rests) != html.count("<section"):
        raise ExplainError("every section of the article must start with its <h3> heading")
    return result, rests


def language_texts(page: Page) -> dict[str, dict]:
    """Each language's header and article (docs/format.md, data/language.<code>.js): only the language the page shows
    is in the document, and the article is built a section at a time near the screen."""
    environment = template_environment()
    texts = {}
    for about in page_languages(page):
        header = environment.get_template("intro.html.j2").render(page=about, spec=page.spec).strip()
        article = environment.get_template(about["article"]).render(
            spec=about["spec"],
            metrics=about["metrics"],
            formula=about["formula"],
            insights=insights_summary(page.insights),
        )
        shell, sections = split_article(article.strip())
        texts[about["code"]] = {"lang": about["article_lang"], "header": header, "article": shell, "sections": sections}
    return texts


def language_script(code: str, text: dict) -> str:
    """The classic script that adds language `code`'s text to window.CNN_EXPLAIN_LANGUAGES."""
    body = json.dumps(text, separators=(",", ":"), ensure_ascii=False)
    return f"(window.{LANGUAGE_VARIABLE}=window.{LANGUAGE_VARIABLE}||{{}})[{json.dumps(code)}]={body};\n"


def first_view_message(key: str) -> bool:
    """Whether message `key` goes in the payload: the training panel's words come with data/training.js, but for
    those that say why it is not offered or could not start."""
    if key.startswith("class."):
        return False
    return not key.startswith("train.") or key in FIRST_VIEW_TRAINING or key.startswith("train.problem.")


FIRST_VIEW_TRAINING = ("train.open", "train.title", "train.loading", "train.failed", "train.unavailable")


def training_messages(languages: dict[str, dict]) -> dict[str, dict]:
    """The training panel's words in each language, which data/training.js carries (first_view_message)."""
    return {
        code: {key: value for key, value in about["messages"].items() if key.startswith("train.")}
        for code, about in languages.items()
    }


def i18n_payload(languages: dict[str, dict], language: str) -> dict:
    """The page's languages for window.CNN_EXPLAIN.i18n (docs/format.md): the one it opens in, and each one's
    name, messages, class names and the script with its header and article (language_texts)."""
    return {
        "language": language,
        "languages": {
            code: {
                "name": about["messages"]["language.name"],
                "title": about["title"],
                "classes": list(about["classes"]),
                "messages": {key: value for key, value in about["messages"].items() if first_view_message(key)},
                "text": f"data/language.{code}.js?v={__version__}",
            }
            for code, about in languages.items()
        },
    }


def render_site(site: Path, page: Page, model: dict, samples: dict) -> None:
    """Write index.html, the payload (with the TF.js `model` and the `samples`, activations.samples_payload), the spec
    and the metrics into `site` (the model's files are written by convert). The insights, when the build has a
    dataset, go to data/insights.js, which the page loads when needed."""
    (site / "data").mkdir(parents=True, exist_ok=True)
    payload = {
        "spec": page.spec,
        # the page runs the spec's layers and reads no Keras topology: it is in model/model.json, and in the training
        # panel's data, which writes it into the weights it downloads
        "model": {key: value for key, value in model.items() if key != "modelTopology"},
        "samples": samples,
        "runtime": f"runtime.js?v={__version__}",  # TF.js and the model's code, loaded once the first picture is drawn
        "explore": f"explore.js?v={__version__}",  # the views, the insights and the article, likewise
        "i18n": i18n_payload(page.languages, page.language),
        # loaded when the visitor asks for them
        "features": {
            name: {"script": f"{name}.js?v={__version__}", "style": f"{name}.css?v={__version__}"} for name in FEATURES
        },
    }
    if page.wasm:
        payload["wasm"] = f"{WASM_SCRIPT}?v={__version__}"  # loaded by the page once the first picture is drawn
    if page.insights is not None:
        (site / "data" / "insights.js").write_text(payload_script(page.insights, INSIGHTS_VARIABLE), encoding="utf-8")
        payload["insights"] = f"data/insights.js?v={__version__}"
        payload["mistakes"] = picker_mistakes(page.insights)  # offered at first view, the rest loaded when needed
    if page.training is not None and "problem" not in page.training:
        later = {"messages": training_messages(page.languages), "topology": model["modelTopology"]}
        script = payload_script({**page.training, **later}, TRAINING_VARIABLE)
        (site / "data" / "training.js").write_text(script, encoding="utf-8")
        held_out = page.training["held_out"]["count"]
        payload["training"] = {"script": f"data/training.js?v={__version__}", "images": page.training["train"]["count"]}
        payload["training"]["held_out"] = held_out
        payload["training"]["megabytes"] = f"{len(script.encode()) / 1e6:.1f}"
    elif page.training is not None:
        payload["training"] = page.training
    (site / "data" / "explainer.js").write_text(payload_script(payload), encoding="utf-8")
    for code, text in language_texts(page).items():
        (site / "data" / f"language.{code}.js").write_text(language_script(code, text), encoding="utf-8")
    (site / "spec.json").write_text(json.dumps(page.spec, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if page.metrics is not None:
        (site / "metrics.json").write_text(
            json.dumps(page.metrics, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    write_page(site, page)


def write_page(site: Path, page: Page) -> None:
    """Write index.html into `site`, with the front end's bundle and the files the page links to beside it (the
    payload it reads is render_site's)."""
    copy_bundle(site, wasm=page.wasm)
    for name in SITE_FILES:
        shutil.copyfile(TEMPLATES / name, site / name)
    (site / "index.html").write_text(render_page(page), encoding="utf-8")
