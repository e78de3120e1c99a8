"""PyTorch anchors for the GPU benchmark, on Qwen3-4B-Instruct-2507's shapes with random bf16 weights.

Prints one JSON record per line (the format of bench/gpu/report.ts), appended to $RESULTS when set:
  - floor: device-to-device copy bandwidth (bytes read + written per second)
  - "pytorch generate eager": transformers generate, greedy, dynamic cache (the seed's stack)
  - "pytorch static cache + CUDA graph loop": one-token step captured in a CUDA graph, bare greedy loop
Environment: PROMPT (prompt tokens, default 573 = our real prompt), NEW (new tokens, default 512),
SHAPE=tiny for a quick CPU/GPU smoke run, DEVICE (default cuda when available).
"""
import json
import os
import sys
import time

import torch
from transformers import Qwen3Config, Qwen3ForCausalLM

DEV = os.environ.get("DEVICE", "cuda" if torch.cuda.is_available() else "cpu")
PROMPT = int(os.environ.get("PROMPT", 573))
NEW = int(os.environ.get("NEW", 512))
RESULTS = os.environ.get("RESULTS")
TINY = os.environ.get("SHAPE") == "tiny"


def emit(rec):
    line = json.dumps(rec)
    print(line, flush=True)
    if RESULTS:
        with open(RESULTS, "a") as f:
            f.write(line + "\n")


def sync():
    if DEV == "cuda":
        torch.cuda.synchronize()


def config():
    if TINY:
        return Qwen3Config(vocab_size=151936, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                           num_attention_heads=4, num_key_value_heads=2, head_dim=16, tie_word_embeddings=True,
                           max_position_embeddings=4096)
    return Qwen3Config(vocab_size=151936, hidden_size=2560, intermediate_size=9728, num_hidden_layers=36,
                       num_attention_heads=32, num_key_value_heads=8, head_dim=128, rms_norm_eps=1e-6,
                       rope_theta=5_000_000.0, tie_word_embeddings=True, max_position_embeddings=32768)


def bandwidth_gbs():
    n = (2 if DEV == "cuda" else 0.25) * 1024**3
    x = torch.empty(int(n), dtype=torch.uint8, device=DEV)
    y = torch.empty_like(x)
    for _ in range(3):
        y.copy_(x)
    sync()
    reps = 10
    t = time.perf_counter()
    for _ in range(reps):
        y.copy_(x)
    sync()
    secs = time.perf_counter() - t
    del x, y
    return 2 * n * reps / secs / 1e9


def mem_mib():
    return round(torch.cuda.max_memory_allocated() / 2**20) if DEV == "cuda" else None


def main():
    torch.manual_seed(0)
    cfg = config()
    dtype = torch.bfloat16 if DEV == "cuda" else torch.float32
    t0 = time.perf_counter()
    with torch.device(DEV):
        model = Qwen3ForCausalLM(cfg).to(dtype).eval()
    sync()
    load_s = time.perf_counter() - t0
    weight_bytes = sum(p.numel() * p.element_size() for p in model.parameters())
    device_name = torch.cuda.get_device_name() if DEV == "cuda" else "cpu"
    emit({"kind": "floor", "bandwidthGBs": round(bandwidth_gbs(), 1), "device": device_name})

    ids = torch.randint(0, 150000, (1, PROMPT), device=DEV)
    mask = torch.ones_like(ids)
    label = "bf16" if dtype == torch.bfloat16 else "fp32"

    with torch.inference_mode():
        # 1. the seed's way: generate, greedy, forced length
        def gen(n):
            return model.generate(ids, attention_mask=mask, max_new_tokens=n, min_new_tokens=n, do_sample=False)
        gen(4)
        sync(); t = time.perf_counter(); gen(1); sync(); ttft = time.perf_counter() - t
        t = time.perf_counter(); out = gen(NEW); sync(); total = time.perf_counter() - t
        n = out.shape[1] - PROMPT
        emit({"kind": "stack", "stack": "pytorch generate eager (seed's stack)", "dtype": label, "device": device_name,
              "loadS": round(load_s, 2), "ttftMs": round(ttft * 1e3, 1), "decodeTokS": round((n - 1) / (total - ttft), 2),
              "promptTokens": PROMPT, "newTokens": int(n), "gpuMemMiB": mem_mib(), "weightBytes": weight_bytes})

        # 2. static cache + the one-token step in a CUDA graph, bare greedy loop
        if DEV != "cuda":
            return
        try:
            from transformers import StaticCache
            cache = StaticCache(config=cfg, max_cache_len=PROMPT + NEW + 8)
            t = time.perf_counter()
            o = model(input_ids=ids, past_key_values=cache, cache_position=torch.arange(PROMPT, device=DEV), use_cache=True)
            tok = o.logits[:, -1:].argmax(-1)
            sync(); ttft = time.perf_counter() - t
            step_tok = tok.clone()
            step_pos = torch.tensor([PROMPT], device=DEV)
            s = torch.cuda.Stream()
            s.wait_stream(torch.cuda.current_stream())
            with torch.cuda.stream(s):
                for _ in range(3):  # warm-up writes positions PROMPT.. which the graph overwrites again
                    model(input_ids=step_tok, past_key_values=cache, cache_position=step_pos, use_cache=True)
            torch.cuda.current_stream().wait_stream(s)
            graph = torch.cuda.CUDAGraph()
            with torch.cuda.graph(graph):
                o = model(input_ids=step_tok, past_key_values=cache, cache_position=step_pos, use_cache=True)
                nxt = o.logits[:, -1:].argmax(-1)
            sync(); t = time.perf_counter()
            for _ in range(NEW - 1):
                graph.replay()
                step_tok.copy_(nxt)
                step_pos.add_(1)
            sync(); secs = time.perf_counter() - t
            emit({"kind": "stack", "stack": "pytorch static cache + CUDA graph loop", "dtype": label, "device": device_name,
                  "loadS": round(load_s, 2), "ttftMs": round(ttft * 1e3, 1), "decodeTokS": round((NEW - 1) / secs, 2),
                  "promptTokens": PROMPT, "newTokens": NEW, "gpuMemMiB": mem_mib(), "weightBytes": weight_bytes})
        except Exception as e:  # report, keep the other numbers
            print("cuda-graph loop failed:", repr(e)[:400], file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
