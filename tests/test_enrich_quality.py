"""Enrichment quality regression: OCR character error rate and ASR word/character error rates on
media with known text (the bundled sample's four zh+en images and speech clip, six generated
zh+en images, two espeak-ng clips), through the real offline engines (RapidOCR, faster-whisper).

The figures below were measured when media text landed (issue 18); a change that makes the
engines read worse than that plus a margin fails here. bench/enrich.py reports the same figures
at a larger size, with throughput."""

from __future__ import annotations

import pytest

from tests.support.enrich_quality import build_quality_set, cer, run_and_score, wer

#: Measured at landing on this test's set; the margin absorbs library patch releases, not regressions.
LANDED = {"ocr_cer_all": 0.0084, "ocr_cer_zh": 0.0, "ocr_cer_en": 0.0119, "asr_wer_all": 0.1154, "asr_cer_all": 0.0323}
MARGIN = {"ocr_cer_all": 0.03, "ocr_cer_zh": 0.03, "ocr_cer_en": 0.04, "asr_wer_all": 0.08, "asr_cer_all": 0.05}


def test_error_rates_count_what_they_should():
    assert cer(["暴雨红色预警 Red Alert"], ["暴雨红色预警\nRedAlert"]) == 0.0   # spacing and case are not errors
    assert cer(["abcd"], ["abxd"]) == 0.25 and cer(["abcd"], [""]) == 1.0
    assert wer(["the quick brown fox"], ["The quick brown box."]) == 0.25
    assert wer(["a b"], [""]) == 1.0


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    return run_and_score(build_quality_set(tmp_path_factory.mktemp("quality"), images=6, clips=2))


@pytest.mark.parametrize("name", sorted(LANDED))
def test_quality_not_worse_than_landed(figures, name):
    assert figures["failures"] == 0
    assert figures[name] <= LANDED[name] + MARGIN[name], (name, figures[name], figures)
