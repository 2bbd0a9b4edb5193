"""简体中文: every string has a finished translation, the compiled files are up to date, and the key flows (window,
menus, a bad CSV, a ConfigError, the CLI's lines and --help) read Chinese when asked, English otherwise."""

import json
import re
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest

from weightstudio import translations
from weightstudio.core import messages

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def chinese(monkeypatch):
    """The core and the CLI in Chinese for one test (the setting the studio's View ▸ Language makes)."""
    monkeypatch.setenv(messages.LANG_ENV, "zh")


@pytest.fixture
def chinese_qt(qapp, chinese):
    """Qt's translators installed on the test's application, removed afterwards."""
    from weightstudio.gui.translation import install_translators, remove_translators

    assert install_translators(qapp, "zh") == "zh"  # fonts-wqy-microhei is installed by .ci/install
    yield qapp
    remove_translators()


# ---- the translation files ----

def test_every_gui_string_has_a_finished_chinese_translation(tmp_path):
    ts = tmp_path / translations.TS.name
    shutil.copy2(translations.TS, ts)
    translations.lupdate(ts, keep_obsolete=True)  # a string gone from the sources shows up as vanished/obsolete
    assert translations.ts_problems(ts) == []
    assert "<source>" in ts.read_text(encoding="utf-8")


def test_the_committed_qm_is_lrelease_of_the_committed_ts(tmp_path):
    qm = tmp_path / "fresh.qm"
    translations.lrelease(translations.TS, qm)
    assert qm.read_bytes() == translations.QM.read_bytes(), "run: python -m weightstudio.translations"


def test_qts_own_chinese_translation_ships_with_the_package():
    from PySide6.QtCore import QLibraryInfo

    qt_own = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)) / translations.QTBASE
    assert (translations.I18N / translations.QTBASE).read_bytes() == qt_own.read_bytes()


def _fields(template: str) -> set[str]:
    """The named fields of a str.format template, and the %-placeholders of argparse's own texts."""
    named = {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name is not None}
    return named | set(re.findall(r"%\(\w+\)[sdr]|%[sdr]", template))


def test_every_core_template_has_a_translation_with_the_same_fields():
    catalogue = json.loads(translations.CATALOGUE.read_text(encoding="utf-8"))
    used = translations.templates(translations.core_sources())
    assert len(used) > 200
    missing = {t: where for t, where in used.items() if not catalogue.get(t, "").strip()}
    assert missing == {}, "run: python -m weightstudio.translations, then translate core_zh_CN.json"
    assert sorted(set(catalogue) - set(used)) == []  # nothing vanished
    wrong = {t: zh for t, zh in catalogue.items() if _fields(t) != _fields(zh)}
    assert wrong == {}
    # Every template with English words in it (not only fields, API names and punctuation) reads Chinese.
    english = [t for t, zh in catalogue.items() if re.search(r"[a-z]{3,} [a-z]{3,}", re.sub(r"\{[^}]*\}", "", t))
               and not re.search(r"[\u4e00-\u9fff]", zh)]
    assert english == []


def test_the_language_follows_the_setting_then_the_locale():
    assert messages.language({"LANG": "zh_CN.UTF-8"}) == "zh"
    assert messages.language({"LANG": "en_US.UTF-8"}) == "en"
    assert messages.language({"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}) == "en"
    assert messages.language({"LANG": "zh_CN.UTF-8", messages.LANG_ENV: "en"}) == "en"
    assert messages.language({messages.LANG_ENV: "zh"}) == "zh"
    assert messages.language({}) == "en"


def test_set_language_is_inherited_by_child_processes(monkeypatch):
    monkeypatch.delenv(messages.LANG_ENV, raising=False)
    messages.set_language("zh")
    try:
        code = "from weightstudio.core.messages import _; print(_('{path}: no such file', path='a.csv'))"
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60,
                             check=False)
        assert out.stdout.strip() == "a.csv：文件不存在"
    finally:
        messages.set_language(None)
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        messages.set_language("fr")


# ---- the core's messages ----

def test_a_bad_csv_is_refused_in_chinese_naming_the_file_and_line(tmp_path, chinese):
    from weightstudio.core.data import DataError, load_dataset

    bad = tmp_path / "bad.csv"
    bad.write_text("x,y\n1,2\n3\n")
    with pytest.raises(DataError) as e:
        load_dataset({"source": "csv", "path": str(bad)}, 0)
    assert str(e.value) == f"{bad} 第 3 行：应有 2 列（与第 1 行相同），实际 1 列"


def test_a_config_error_in_chinese_names_the_field(chinese):
    from weightstudio.core.config import ConfigError, TrainSettings

    with pytest.raises(ConfigError) as e:
        TrainSettings(epochs=0).validate()
    assert str(e.value) == "train.epochs：必须是正整数，得到 0"


def test_an_impossible_architecture_in_chinese_names_the_layer(chinese):
    from weightstudio.core.spec import LayerSpec, ModelSpec, SpecError

    spec = ModelSpec((1, 8, 8), [LayerSpec("Linear", {"out_features": 4, "bias": True})])
    with pytest.raises(SpecError) as e:
        spec.output_shapes()
    assert str(e.value).startswith("第 0 层（Linear）：需要扁平的输入")


def test_without_a_chosen_language_the_messages_stay_english(tmp_path, monkeypatch):
    from weightstudio.core.data import DataError, load_dataset

    monkeypatch.setenv(messages.LANG_ENV, "en")
    with pytest.raises(DataError, match=r"nothing\.csv: no such file"):
        load_dataset({"source": "csv", "path": str(tmp_path / "nothing.csv")}, 0)


# ---- the command line ----

def _cli(args, tmp_path, lang="zh_CN.UTF-8"):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": lang, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "weightstudio", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=300, check=False)


def test_the_cli_trains_with_chinese_lines_under_a_chinese_locale(tmp_path):
    r = _cli(["train", "--preset", "quadratic-1-10-1", "--epochs", "10", "--out", str(tmp_path / "o"),
              "--no-figures"], tmp_path)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "quadratic-1-10-1：quadratic：100 个训练 / 0 个验证样本，1 个特征，回归；每个轮次 1 步"
    assert re.fullmatch(r"轮次 10/10  训练损失 [\d.e-]+  （\d+ 步/秒）", lines[-2]), lines[-2]
    assert re.fullmatch(r"完成：10 个轮次，10 步，用时 [\d.]+ 秒；文件在 .*o", lines[-1]), lines[-1]


def test_the_cli_help_and_usage_errors_are_chinese(tmp_path):
    r = _cli(["train", "--help"], tmp_path)
    assert r.returncode == 0
    assert r.stdout.startswith("用法：weightstudio train")
    assert "显示此帮助信息并退出" in r.stdout and "学习率" in r.stdout and "--lr LR" in r.stdout
    r = _cli(["train", "--preset", "quadratic-1-10-1"], tmp_path)
    assert r.returncode == 2
    assert r.stderr.splitlines()[-1] == "weightstudio train: 错误：以下参数是必需的：--out"


def test_the_cli_stays_english_under_an_english_locale(tmp_path):
    r = _cli(["train", "--help"], tmp_path, lang="en_US.UTF-8")
    assert r.stdout.startswith("usage: weightstudio train") and "show this help message and exit" in r.stdout


def test_headless_figures_fall_back_to_english_without_a_cjk_font(qapp, monkeypatch, capsys, chinese):
    from weightstudio.gui import translation

    monkeypatch.setattr(translation, "cjk_font_available", lambda: False)
    assert translation.install_translators(qapp) == "en"
    assert capsys.readouterr().err.strip() == translation.FONT_HINT
    from PySide6.QtCore import QCoreApplication

    assert QCoreApplication.translate("MainWindow", "&File") == "&File"


# ---- the window ----

def test_the_window_speaks_chinese_with_the_translators_installed(qtbot, chinese_qt):
    from weightstudio.gui.main_window import MainWindow

    w = MainWindow("quadratic-1-10-1")
    qtbot.addWidget(w)
    assert w.windowTitle() == "WeightStudio"
    menus = [a.text() for a in w.menuBar().actions()]
    assert menus == ["文件(&F)", "训练(&T)", "运行(&R)", "课程(&L)", "视图(&V)", "帮助(&H)"]
    assert w.docks["architectureDock"].windowTitle() == "架构"
    assert w.docks["heatmapDock"].windowTitle() == "热力图"
    assert w.training_bar.start_button.text() == "开始"
    assert w.loss_view.loss_plot.titleLabel.text.startswith("损失（均方误差）")
    assert w.training_bar.preset_combo.currentText() == "1→10→1 ReLU 网络拟合 y = x² + 噪声"
    w.close()


def test_a_bad_csv_in_the_data_panel_is_said_in_chinese(qtbot, chinese_qt, tmp_path):
    from weightstudio.gui.panels.data_panel import DataPanel

    panel = DataPanel()
    qtbot.addWidget(panel)
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y\n1,2\n3\n")
    assert not panel.import_file("csv", bad)
    assert panel.error_label.text() == f"无法加载数据。\n{bad} 第 3 行：应有 2 列（与第 1 行相同），实际 1 列"


def test_view_language_saves_the_choice_and_says_it_applies_at_the_next_start(qtbot):
    from weightstudio.gui.main_window import MainWindow
    from weightstudio.gui.translation import LANGUAGE_KEY

    w = MainWindow("quadratic-1-10-1")
    qtbot.addWidget(w)
    assert [a.text() for a in w.language_actions.values()] == ["System default", "English", "简体中文"]
    assert w.language_actions[""].isChecked()
    w.language_actions["zh"].trigger()
    assert w.settings.value(LANGUAGE_KEY) == "zh" and w.language_actions["zh"].isChecked()
    assert w.state_label.text() == "The language changes when WeightStudio is started again."
    w.close()
