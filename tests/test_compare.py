"""Comparing runs: parsing --vary, one config per value, what differs in words, and `weightstudio compare`
writing runs that equal solo `weightstudio train` runs bit for bit."""

import csv

import numpy as np
import pytest

from weightstudio import cli
from weightstudio.core.compare import apply, differences, parse_vary, vary
from weightstudio.core.config import ConfigError
from weightstudio.core.io import load_npz
from weightstudio.core.presets import get_preset


def test_parse_vary_takes_settings_and_values_and_names_what_is_wrong():
    v = parse_vary("optimizer=sgd, adam,rmsprop,adagrad")
    assert v.setting == "optimizer" and v.values == ("sgd", "adam", "rmsprop", "adagrad")
    assert parse_vary("batch_size=all,16").values == (None, 16)
    assert parse_vary("activation=relu,tanh").values == ("ReLU", "Tanh")
    for text, match in [("colour=red,blue", "SETTING one of"), ("lr=0.1", "at least two"),
                        ("lr=0.1,fast", "'fast' is not a number"), ("optimizer=sgd,lbfgs", "unknown optimizer"),
                        ("weight_init=default,glorot", "unknown scheme"), ("lr=0.1,0.1", "twice")]:
        with pytest.raises(ConfigError, match=match):
            parse_vary(text)


def test_vary_keeps_seed_and_data_and_checks_every_value_first():
    base = get_preset("digits-mlp").config()
    runs = vary(base, parse_vary("weight_init=default,xavier_uniform"))
    assert [r.train.seed for r in runs] == [base.train.seed] * 2 and all(r.data == base.data for r in runs)
    assert differences(runs[0], runs[1]) == ["weight init: xavier_uniform(1)"]
    adam = apply(base, "optimizer", "adam")
    assert adam.train.momentum == 0 and differences(base, adam) == ["optimizer: adam", "momentum: 0"]
    with pytest.raises(ConfigError, match="lr=0"):
        vary(base, parse_vary("lr=0.1,0"))
    with pytest.raises(ConfigError, match="no activation layer"):
        apply(get_preset("linear-5x1").config(), "activation", "Tanh")


def test_compare_writes_runs_equal_to_solo_runs_and_a_summary(tmp_path, capsys):
    out = tmp_path / "cmp"
    code = cli.main(["compare", "--preset", "simplenet-2-5-1", "--vary", "optimizer=sgd,adam", "--epochs", "3",
                     "--out", str(out), "--no-figures", "--quiet"])
    assert code == 0, capsys.readouterr().err
    solo = tmp_path / "solo"
    assert cli.main(["train", "--preset", "simplenet-2-5-1", "--optimizer", "sgd", "--epochs", "3", "--out",
                     str(solo), "--no-figures", "--quiet"]) == 0
    a, b = load_npz(out / "1-optimizer-sgd" / "history.npz"), load_npz(solo / "history.npz")
    assert set(a) == set(b)
    for key in a:
        np.testing.assert_array_equal(a[key], b[key], err_msg=key)
    rows = list(csv.DictReader(open(out / "summary.csv")))
    assert [r["value"] for r in rows] == ["sgd", "adam"] and {r["status"] for r in rows} == {"finished"}
    assert all(float(r["train_loss"]) > 0 and 0 <= float(r["train_acc"]) <= 1 for r in rows)
    assert {r["val_loss"] for r in rows} == {""}  # the XOR preset has no validation set: empty, not "nan"


def test_a_bad_vary_starts_no_run(tmp_path, capsys):
    out = tmp_path / "cmp"
    assert cli.main(["compare", "--preset", "quadratic-1-10-1", "--vary", "weight_init=default,nope", "--out",
                     str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nope" in err and not out.exists()


def test_an_edit_keeps_a_given_label_and_a_default_one_follows_the_name():
    from types import SimpleNamespace

    from weightstudio.core.studio import StudioModel

    model = StudioModel()
    first, edited, copy, copy_edited, renamed = (SimpleNamespace(name=n) for n in (
        "digits-mlp", "digits-mlp-2", "digits-mlp", "digits-mlp-3", "digits-mlp-4"))
    model.set_live(first)
    model.set_live(edited)  # an edit of a run nobody named: the label follows the run's new name
    assert model.meta(edited).label == "digits-mlp-2"
    model.keep_live()
    model.set_live(copy)
    model.rename(copy, "digits-mlp (copy)")  # what Duplicate does
    model.set_live(copy_edited)  # then an edit of the copy (a change of init): still the copy
    assert model.meta(copy_edited).label == "digits-mlp (copy)" and model.meta(edited).label == "digits-mlp-2"
    model.rename(copy_edited, " ")  # cleared: back to the name, which follows edits again
    model.set_live(renamed)
    assert model.meta(renamed).label == "digits-mlp-4"
