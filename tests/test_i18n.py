"""The page's languages: catalogs checked against English at build time, t() in the templates, class names per
language, and the page rendered in each language with the others ready for the switch."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from markupsafe import Markup

from builder.build import BuildOptions, build
from builder.classes import localized_classes, read_class_files
from builder.errors import ExplainError
from builder.i18n import class_names, load_catalogs, translator
from builder.render import LOCALES, Page, language_texts, render_page, split_article
from testkit.specs import small_cnn_spec

CJK = re.compile(r"[\u4e00-\u9fff]")


def copy_locales(tmp_path: Path) -> Path:
    folder = tmp_path / "locales"
    shutil.copytree(LOCALES, folder)
    return folder


def edit_catalog(folder: Path, code: str, change) -> None:
    path = folder / f"{code}.json"
    catalog = json.loads(path.read_text(encoding="utf-8"))
    change(catalog)
    path.write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")


def test_the_shipped_catalogs_hold_the_same_messages():
    catalogs = load_catalogs(LOCALES)
    assert list(catalogs) == ["en", "zh"]
    assert catalogs["en"].keys() == catalogs["zh"].keys()


def test_a_catalog_missing_a_message_is_reported_by_name_at_build_time(tmp_path):
    folder = copy_locales(tmp_path)
    edit_catalog(folder, "zh", lambda catalog: catalog.pop("page.prediction"))
    with pytest.raises(
        ExplainError, match=r"the zh catalog .*zh\.json lacks 1 message that en\.json has: page\.prediction"
    ):
        build(BuildOptions(out=tmp_path / "site", locales=folder, cache=tmp_path / "cache"))
    assert not (tmp_path / "site").exists()  # refused before anything was built


def test_a_message_with_other_placeholders_or_an_unknown_key_is_refused(tmp_path):
    folder = copy_locales(tmp_path)
    edit_catalog(folder, "zh", lambda catalog: catalog.update({"page.accuracy": "测试准确率：{rate}"}))
    with pytest.raises(ExplainError, match=r'"page\.accuracy" must use the placeholders \{percent\}'):
        load_catalogs(folder)
    folder = copy_locales(tmp_path / "again")
    edit_catalog(folder, "zh", lambda catalog: catalog.update({"page.typo": "x"}))
    with pytest.raises(ExplainError, match=r"has messages en\.json lacks: page\.typo"):
        load_catalogs(folder)
    edit_catalog(folder, "zh", lambda catalog: catalog.update({"page.typo": {"one": "x"}}))
    with pytest.raises(ExplainError, match=r'"page\.typo" must be a text, or plural forms'):
        load_catalogs(folder)


def test_a_new_language_is_one_catalog_away(tmp_path):
    folder = copy_locales(tmp_path)
    shutil.copy(folder / "en.json", folder / "fr.json")
    edit_catalog(folder, "fr", lambda catalog: catalog.update({"language.name": "Français"}))
    assert list(load_catalogs(folder)) == ["en", "fr", "zh"]


def test_t_escapes_the_message_and_its_values_and_picks_the_plural_form():
    t = translator({"a": "<b>{name}</b> & {count}", "n": {"one": "{count} class", "other": "{count} classes"}}, "en")
    assert t("a", name="<i>", count=1) == "&lt;b&gt;&lt;i&gt;&lt;/b&gt; &amp; 1"
    assert t("a", name=Markup("<i>x</i>"), count=2) == "&lt;b&gt;<i>x</i>&lt;/b&gt; &amp; 2"
    assert (t("n", count=1), t("n", count=3)) == ("1 class", "3 classes")
    with pytest.raises(ExplainError, match=r"needs a value for \{name\}"):
        t("a", count=1)


def test_fashion_mnist_classes_have_chinese_names_and_others_keep_theirs():
    zh = load_catalogs(LOCALES)["zh"]
    assert class_names(zh, ["T-shirt/top", "Ankle boot", "my own"]) == ["T恤/上衣", "短靴", "my own"]


def languages_of(spec, zh_classes=None):
    catalogs = load_catalogs(LOCALES)
    return {
        "en": {"messages": catalogs["en"], "classes": spec["classes"], "title": "A title"},
        "zh": {"messages": catalogs["zh"], "classes": zh_classes or spec["classes"], "title": "一个标题"},
    }


def test_the_page_opens_in_its_language_with_the_others_ready_for_the_switch():
    spec = small_cnn_spec()
    metrics = {"accuracy": 0.875, "test_examples": 1000, "per_class_accuracy": {"cat": 0.9, "dog": 0.8, "fox": 0.9}}
    page = render_page(Page(spec, languages_of(spec, ["猫", "狗", "狐狸"]), "zh", metrics))
    assert '<html lang="zh">' in page and "<title>一个标题</title>" in page
    header = page[page.index('<header class="site-header"') : page.index("</header>")]
    assert "把 8×8 的灰度图像分成 3 类" in header and "<bdi>猫</bdi>、<bdi>狗</bdi>、<bdi>狐狸</bdi>" in header
    assert "测试准确率：87.5%" in header
    assert 'data-i18n="page.prediction">预测：' in page
    # only the page's own language is in the document: the others' headers and every article are in language files
    assert "<template" not in page and "sorts 8×8 greyscale images" not in page
    texts = language_texts(Page(spec, languages_of(spec, ["猫", "狗", "狐狸"]), "zh", metrics))
    assert "sorts 8×8 greyscale images into 3 classes" in texts["en"]["header"]
    assert texts["zh"]["header"] in page  # the one the page opens with
    assert (texts["en"]["lang"], texts["zh"]["lang"]) == ("en", "zh")
    chinese_article = texts["zh"]["article"] + "".join(texts["zh"]["sections"])
    assert len(CJK.findall(chinese_article)) > 1500
    assert "<bdi>狗</bdi>" in chinese_article  # the worst class, named in Chinese


def test_the_article_splits_into_its_shell_and_each_sections_rest():
    html = '<article><h2>A</h2><section aria-labelledby="x"><h3 id="x">X</h3><p>one</p></section>\n<section><h3>Y</h3><p>two</p><div id="d"></div></section></article>'
    shell, rests = split_article(html)
    assert rests == ["<p>one</p>", '<p>two</p><div id="d"></div>']
    assert shell == (
        '<article><h2>A</h2><section aria-labelledby="x"><h3 id="x">X</h3><div class="section-rest" data-rest="0"></div>'
        '</section>\n<section><h3>Y</h3><div class="section-rest" data-rest="1"></div></section></article>'
    )
    with pytest.raises(ExplainError, match="must start with its <h3> heading"):
        split_article("<section><p>no heading</p></section>")


def test_classes_can_be_named_per_language_with_one_file_each(tmp_path):
    (tmp_path / "names.txt").write_text("cat\ndog\n", encoding="utf-8")
    (tmp_path / "names.zh.txt").write_text("猫\n狗\n", encoding="utf-8")
    (tmp_path / "short.zh.txt").write_text("猫\n", encoding="utf-8")
    catalogs = load_catalogs(LOCALES)
    files = read_class_files((tmp_path / "names.txt", tmp_path / "names.zh.txt"), catalogs)
    assert files.every == (tmp_path / "names.txt", ("cat", "dog"))
    assert files.by_language == {"zh": (tmp_path / "names.zh.txt", ("猫", "狗"))}
    assert localized_classes(files, "zh", catalogs["zh"], ("cat", "dog")) == ["猫", "狗"]
    assert localized_classes(files, "en", catalogs["en"], ("cat", "dog")) == ["cat", "dog"]
    with pytest.raises(ExplainError, match="both name the classes in zh"):
        read_class_files((tmp_path / "names.zh.txt", tmp_path / "short.zh.txt"), catalogs)
    short = read_class_files((tmp_path / "short.zh.txt",), catalogs)
    with pytest.raises(ExplainError, match=r"short\.zh\.txt lists 1 class names but the model has 2 classes"):
        localized_classes(short, "zh", catalogs["zh"], ("cat", "dog"))


def test_an_unknown_language_is_refused_in_one_line(tmp_path):
    with pytest.raises(
        ExplainError, match=r"--lang fr: the page speaks en, zh; docs/languages\.md says how to add one"
    ):
        build(BuildOptions(out=tmp_path / "site", lang="fr", cache=tmp_path / "cache"))


def test_every_article_has_the_english_ones_sections_jumps_and_mount_points():
    """The page finds the article's parts by id and data- attribute (jumps, the playground, the insights): an article
    in another language holds the same ones, in the same order, whatever the model."""
    spec = small_cnn_spec()
    metrics = {"accuracy": 0.875, "test_examples": 1000, "per_class_accuracy": {"cat": 0.9, "dog": 0.8, "fox": 0.9}}
    insights = {"dataset": "d", "test_count": 1000, "accuracy": 0.875, "history": {"epochs": {}}}
    for shown, story in ((metrics, insights), (None, None)):
        texts = language_texts(Page(spec, languages_of(spec), "en", shown, story))
        articles = {}
        for code in ("en", "zh"):
            article = texts[code]["article"] + "".join(texts[code]["sections"])
            articles[code] = re.findall(r'\s(id|data-[\w-]+|href|aria-labelledby)="([^"]*)"', article)
        assert articles["zh"] == articles["en"]


def test_numbered_classes_are_numbered_in_each_language():
    """When nothing names a model's classes (classes.py), each language numbers them its own way."""
    from builder.i18n import class_names

    catalogs = load_catalogs(LOCALES)
    assert class_names(catalogs["zh"], ["class 0", "class 12", "cat"]) == ["类别 0", "类别 12", "cat"]
    assert class_names(catalogs["en"], ["class 3", "Trouser"]) == ["class 3", "Trouser"]
