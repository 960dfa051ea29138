"""Workspace: init, config validation (errors name the key and its line), run logs, layout."""

from __future__ import annotations

import pytest

from somekit.errors import ConfigError, WorkspaceError
from somekit.templates import TEMPLATES
from somekit.workspace import SUBDIRS, init_workspace, load_config, open_workspace


def test_init_creates_layout_and_valid_commented_config(tmp_path):
    ws = init_workspace(tmp_path / "w")
    for sub in SUBDIRS:
        assert (ws.root / sub).is_dir()
    text = ws.config_path.read_text()
    assert text.lstrip().startswith("#") and 'name = "w"' in text
    assert ws.config().workspace.name == "w"


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_template_validates(tmp_path, template):
    ws = init_workspace(tmp_path / template, template=template)
    cfg = ws.config()
    assert (len(cfg.sources) > 0) == (template != "default")


def test_init_keeps_existing_config(tmp_path):
    ws = init_workspace(tmp_path / "w")
    ws.config_path.write_text(ws.config_path.read_text().replace("seed = 42", "seed = 7"))
    init_workspace(tmp_path / "w")
    assert ws.config().seed == 7


def test_config_errors_name_key_and_line(tmp_path):
    path = tmp_path / "somekit.toml"
    path.write_text('seed = 1\n\n[llm]\nconcurrency = 0\nmodel = "m"\n\n[splits]\ntrain = 0.5\ntest = 0.2\n'
                    '\n[[sources]]\nformat = "csv"\npaths = ["x"]\n')
    with pytest.raises(ConfigError) as exc:
        load_config(path)
    msg = str(exc.value)
    assert "line 4: llm.concurrency" in msg
    assert "sources.0.format" in msg and "line 12" in msg
    assert "splits" in msg and "sum to 1" in msg


def test_config_unknown_key_and_bad_toml(tmp_path):
    path = tmp_path / "somekit.toml"
    path.write_text('[enrich]\nocr = true\nocrr = false\n')
    with pytest.raises(ConfigError, match=r"line 3: enrich\.ocrr: Extra inputs"):
        load_config(path)
    path.write_text('[enrich\nocr = true\n')
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(path)
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "missing.toml")


def test_open_workspace_requires_config(tmp_path):
    with pytest.raises(WorkspaceError, match="somekit init"):
        open_workspace(tmp_path)


def test_run_log_records_counts_errors_and_masks_secrets(tmp_path):
    import json

    ws = init_workspace(tmp_path / "w")
    with ws.run_log("ingest", format="jsonl", api_key="sk-123456") as counts:
        counts["posts"] = 3
    with pytest.raises(RuntimeError):
        with ws.run_log("ingest", format="ced"):
            raise RuntimeError("boom")
    logs = sorted((json.loads(p.read_text()) for p in ws.runs.glob("*.json")), key=lambda r: r["status"])
    assert [r["status"] for r in logs] == ["error", "ok"]
    err, ok = logs
    assert ok["counts"] == {"posts": 3} and ok["params"]["api_key"] == "***" and ok["stage"] == "ingest"
    assert "sk-123456" not in json.dumps(logs)
    assert err["error"] == "RuntimeError: boom" and err["seconds"] >= 0
