"""Tests for weightstudio.core.io: run.json refusals."""

import json
from pathlib import Path

import pytest

from weightstudio.core import io
from weightstudio.core.config import ConfigError
from weightstudio.core.io import load_run_config
from weightstudio.core.presets import get_preset


def a_config_file(tmp_path, text: str | bytes) -> Path:
    path = tmp_path / "run.json"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def refusal(path: Path) -> str:
    with pytest.raises(ConfigError) as err:
        load_run_config(path)
    message = str(err.value)
    assert str(path) in message and "\n" not in message
    return message


# --- run.json ---------------------------------------------------------------------------------------------

def test_run_json_nested_100000_levels_is_a_config_error_not_a_recursion_error(tmp_path):
    path = a_config_file(tmp_path, "[" * 100_000 + "]" * 100_000)
    assert "nested more than 64 levels" in refusal(path)
    path = a_config_file(tmp_path, '{"a":' * 100_000 + "1" + "}" * 100_000)
    assert "nested more than 64 levels" in refusal(path)


def test_run_json_nested_within_the_parser_but_beyond_reason(tmp_path):
    config = get_preset("linear-5x1").config().to_dict()
    deep = 1
    for _ in range(200):
        deep = [deep]
    config["data"]["deep"] = deep
    assert "nested more than 64 levels" in refusal(a_config_file(tmp_path, json.dumps(config)))


@pytest.mark.parametrize("text, expected", [
    (b'{"model": \xff}', "cannot read it"),  # not UTF-8
    ("{\"model\": " + "9" * 5000 + "}", "not valid JSON"),  # beyond Python's 4,300-digit limit
    ('{"model": [1, 2', "not valid JSON (line 1"),
    ("", "not valid JSON"),
    ("[1, 2]", "expected a JSON object"),
])
def test_run_json_that_json_cannot_parse_or_is_not_a_config(tmp_path, text, expected):
    assert expected in refusal(a_config_file(tmp_path, text))


def test_run_json_wrong_types_inside_the_model_are_config_errors(tmp_path):
    config = get_preset("linear-5x1").config().to_dict()
    config["model"]["layers"][0]["weight_init"] = [["a", "b", "c"]]  # dict() of this is a ValueError
    assert "invalid run configuration" in refusal(a_config_file(tmp_path, json.dumps(config)))
    config = get_preset("linear-5x1").config().to_dict()
    config["train"]["lr"] = 10**400  # math.isfinite() of it is an OverflowError
    refusal(a_config_file(tmp_path, json.dumps(config)))
    config["train"] = {"a\nb": 1}  # a key with a newline, quoted in the message
    assert "a b" in refusal(a_config_file(tmp_path, json.dumps(config)))


def test_run_json_with_a_byte_order_mark_loads(tmp_path):
    config = get_preset("linear-5x1").config()
    path = a_config_file(tmp_path, b"\xef\xbb\xbf" + json.dumps(config.to_dict()).encode())
    assert load_run_config(path).to_dict() == config.to_dict()


def test_run_json_too_large_is_refused_before_reading(tmp_path, monkeypatch):
    path = a_config_file(tmp_path, "{}")
    monkeypatch.setattr(io, "_MAX_CONFIG_BYTES", 1)
    assert "too large" in refusal(path)
