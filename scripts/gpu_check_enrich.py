"""Device check for issue 18 (run once on the GPU machine; not part of CI).

1. Our transformers Qwen2.5-VL path (somekit.enrich.vlm.LocalQwenVL, qwen-vl-utils
   process_vision_info + AutoProcessor) with the tiny random model the tests build, on CUDA vs CPU.
2. The same path with a randomly initialised model of Qwen2.5-VL-7B's shape (no weights can be
   fetched there), bf16 on the GPU: latency per image and decode tokens/s.
3. CTranslate2 (faster-whisper's engine): does it see the GPU with the image's CUDA?
Writes $OUT/gpu_check.json and prints it.

Not run yet (issue 18's session was lent no GPU machine). On a GPU box without network, carry
wheels (cp312) for pydantic, pydantic-core, annotated-types, typing-inspection, typing-extensions,
orjson, tenacity, qwen-vl-utils and ctranslate2, install them with
`pip install --no-index --no-deps --target /tmp/site WHEELS` and run
`PYTHONPATH=/tmp/site python3 scripts/gpu_check_enrich.py` from the repository root (torch,
torchvision, transformers, tokenizers and pillow come with the image). The real Whisper base
weights (142 MB) and ctranslate2 + PyAV (78 MB) do not fit a 64 MiB carry, hence the
CTranslate2 CUDA probe instead of a faster-whisper transcription.
"""

from __future__ import annotations

import ast
import json
import os
import sys
import time
import traceback
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = Path(os.environ.get("OUT", "/tmp/out"))
OUT.mkdir(parents=True, exist_ok=True)
res: dict = {}


def save():
    (OUT / "gpu_check.json").write_text(json.dumps(res, indent=1, ensure_ascii=False, default=str))


def tiny_builder():
    src = (ROOT / "tests" / "test_enrich_vl.py").read_text()
    tree = ast.parse(src)
    ns: dict = {"Path": Path}
    for node in tree.body:
        if (isinstance(node, ast.Assign) and node.targets[0].id in ("SPECIAL", "CHAT_TEMPLATE")) or \
                (isinstance(node, ast.FunctionDef) and node.name == "build_tiny_qwen_vl"):
            exec(compile(ast.Module([node], []), "test_enrich_vl", "exec"), ns)
    return ns["build_tiny_qwen_vl"]


def images():
    from PIL import Image

    return [Image.open(p).convert("RGB") for p in sorted((ROOT / "somekit/sample/weibo/media").glob("*.png"))]


def timed_captions(vlm, imgs, prompt="image.caption@1"):
    import torch

    vlm.generate(imgs[:1], prompt, "zh", context="warm-up")
    outs, t = [], time.perf_counter()
    for im in imgs:
        outs.append(vlm.generate([im], prompt, "zh", context="#暴雨# 武汉"))
    if torch.cuda.is_available():
        torch.cuda.synchronize()
    return outs, (time.perf_counter() - t) / len(imgs)


def main():
    import torch
    import transformers

    from somekit.enrich import vlm as vlm_mod

    res["torch"], res["transformers"] = torch.__version__, transformers.__version__
    res["cuda"] = torch.cuda.is_available() and torch.cuda.get_device_name(0)
    tiny = tiny_builder()(Path("/tmp/qwen2.5-vl-tiny"))
    s = SimpleNamespace(caption_model=str(tiny), max_tokens=16, max_pixels=602_112)
    imgs = images()
    t = time.perf_counter()
    gpu = vlm_mod.LocalQwenVL(s)
    res["tiny_load_s"] = round(time.perf_counter() - t, 2)
    res["tiny_device"] = str(gpu._model.device)
    res["tiny_dtype"] = str(gpu._model.dtype)
    res["processor"] = type(gpu._processor).__name__
    outs, per = timed_captions(gpu, imgs)
    res["tiny_cuda_s_per_image"] = round(per, 4)
    res["tiny_cuda_captions"] = outs
    res["tiny_cuda_ocr"] = gpu.generate(imgs[:1], "image.ocr@1", "zh")
    save()
    real = torch.cuda.is_available
    torch.cuda.is_available = lambda: False          # same code path, CPU: the same-run baseline
    try:
        cpu = vlm_mod.LocalQwenVL(s)
        res["tiny_cpu_device"] = str(cpu._model.device)
        _, per_cpu = timed_captions(cpu, imgs)
        res["tiny_cpu_s_per_image"] = round(per_cpu, 4)
        res["tiny_cuda_speedup_vs_cpu"] = round(per_cpu / per, 2)
    finally:
        torch.cuda.is_available = real
    save()

    # A 7B-shaped Qwen2.5-VL (random bf16 weights), swapped into the same backend object.
    try:
        if not torch.cuda.is_available() and not os.environ.get("META_ONLY"):
            raise RuntimeError("no CUDA: the 7B-shaped run needs the GPU")
        from transformers import Qwen2_5_VLForConditionalGeneration

        small = gpu._model.config
        tsmall = small.text_config
        cfg = small.__class__(
            text_config=dict(vocab_size=152064, hidden_size=3584, intermediate_size=18944, num_hidden_layers=28,
                             num_attention_heads=28, num_key_value_heads=4, max_position_embeddings=32768,
                             rope_parameters={"rope_type": "default", "rope_theta": 1000000.0, "mrope_section": [16, 24, 24]},
                             eos_token_id=tsmall.eos_token_id, bos_token_id=tsmall.bos_token_id,
                             pad_token_id=tsmall.pad_token_id),
            vision_config=dict(depth=32, hidden_size=1280, intermediate_size=3420, num_heads=16, out_hidden_size=3584,
                               fullatt_block_indexes=[7, 15, 23, 31], window_size=112, patch_size=14,
                               spatial_merge_size=2, temporal_patch_size=2),
            image_token_id=small.image_token_id, video_token_id=small.video_token_id,
            vision_start_token_id=small.vision_start_token_id, vision_end_token_id=small.vision_end_token_id)
        if os.environ.get("META_ONLY"):
            with torch.device("meta"):
                big = Qwen2_5_VLForConditionalGeneration._from_config(cfg, dtype=torch.bfloat16)
            res["big_params_b"] = round(sum(p.numel() for p in big.parameters()) / 1e9, 2)
            raise RuntimeError("META_ONLY")
        t = time.perf_counter()
        with torch.device("cuda"):
            big = Qwen2_5_VLForConditionalGeneration._from_config(cfg, dtype=torch.bfloat16).eval()
        torch.cuda.synchronize()
        res["big_params_b"] = round(sum(p.numel() for p in big.parameters()) / 1e9, 2)
        res["big_init_s"] = round(time.perf_counter() - t, 1)
        big.generation_config = gpu._model.generation_config
        big.generation_config.min_new_tokens = 64
        gpu._model, gpu.max_tokens = big, 64
        # Random 152k-vocab ids mean nothing to the tiny tokenizer: report counts, not text.
        gpu._processor.batch_decode = lambda ids, skip_special_tokens=True: [f"{ids.shape[-1]} new tokens"]
        try:
            outs_big, per_big = timed_captions(gpu, imgs)
            res["big_outputs"] = outs_big
            res["big_7b_shape_s_per_image_64_tokens"] = round(per_big, 3)
            res["big_7b_shape_tokens_per_s"] = round(64 / per_big, 1)
        except Exception as exc:  # decode of ids beyond the tiny tokenizer, say: time generate alone
            res["big_generate_error"] = f"{type(exc).__name__}: {exc}"[:400]
        res["big_peak_mem_gib"] = round(torch.cuda.max_memory_allocated() / 2**30, 1)
    except Exception as exc:
        res["big_error"] = traceback.format_exc()[-1500:]
    save()

    try:
        import ctranslate2

        res["ct2_version"] = ctranslate2.__version__
        res["ct2_cuda_devices"] = ctranslate2.get_cuda_device_count()
        res["ct2_cuda_compute_types"] = sorted(ctranslate2.get_supported_compute_types("cuda"))
    except Exception as exc:
        res["ct2_error"] = f"{type(exc).__name__}: {exc}"[:400]
    save()


if __name__ == "__main__":
    try:
        main()
    except Exception:
        res["error"] = traceback.format_exc()[-3000:]
    save()
    print(json.dumps(res, ensure_ascii=False, default=str)[-6000:])
