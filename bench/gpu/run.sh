#!/usr/bin/env bash
# GPU benchmark, on the GPU machine (see docs/gpu.md). Run from the repository root
# that the device tool copies over, one stage per device call, back to back:
#
#   bash bench/gpu/run.sh setup         assemble /opt/stage/part_* (sha256 against manifest.json), unpack node + node_modules
#   bash bench/gpu/run.sh fp16          write the random Qwen3-4B-shaped fp16 model; placement check; fused (carry/recompute, K) + step-by-step
#   bash bench/gpu/run.sh engine-fp16   the real engine (TransformersEngine, DEVICE=cuda) on the fp16 model
#   bash bench/gpu/run.sh pytorch       PyTorch anchors (eager generate bf16; static cache + CUDA graph loop) + bandwidth floor
#   bash bench/gpu/run.sh q4f16         q4f16 model: write, placement, fused + step-by-step
#   bash bench/gpu/run.sh engine-q4f16  the real engine on the q4f16 model
#   bash bench/gpu/run.sh concurrency   1/4/20 simultaneous requests through the server (LEVELS, NEW, DTYPE)
#   bash bench/gpu/run.sh report        markdown report only
#
# Every stage appends JSON records to /opt/stage/results.jsonl and leaves results.jsonl,
# gpu-bench.md (the report so far) and its logs in $OUT.
# On a CPU machine: STAGE_DIR=/tmp/stage DEVICE=cpu SHAPE=tiny NEW=32 bash bench/gpu/run.sh fp16 (a smoke run).
set -euo pipefail
case "${1:-}" in
  setup|fp16|engine-fp16|pytorch|q4f16|engine-q4f16|concurrency|report) ;;
  *) sed -n '2,/^set /p' "$0" | grep '^#'; exit 2 ;;
esac
cd "$(dirname "$0")/../.."
REPO=$(pwd)
STAGE_DIR=${STAGE_DIR:-/opt/stage}
OUT=${OUT:-$STAGE_DIR/out}
DEVICE=${DEVICE:-cuda}
SHAPE=${SHAPE:-qwen3-4b}
NEW=${NEW:-512}
CHUNKS=${CHUNKS:-8,16,32,64,128}
MODELS=$STAGE_DIR/models/$SHAPE
RESULTS=$STAGE_DIR/results.jsonl
mkdir -p "$OUT" "$STAGE_DIR/models"

export LD_LIBRARY_PATH=/usr/local/cuda-13.0/targets/x86_64-linux/lib:/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
[ -x "$STAGE_DIR/b/node" ] && export PATH="$STAGE_DIR/b:$PATH"
[ -e node_modules ] || { [ -d "$STAGE_DIR/b/node_modules" ] && ln -s "$STAGE_DIR/b/node_modules" node_modules; }
TSX() { node node_modules/tsx/dist/cli.mjs "$@"; }
BENCH() { TSX bench/gpu/bench.ts "$@" --results "$RESULTS"; }
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$OUT/run.log"; }

finish() {
  cp "$RESULTS" "$OUT/results.jsonl" 2>/dev/null || true
  [ -s "$RESULTS" ] && TSX bench/gpu/bench.ts report --results "$RESULTS" > "$OUT/gpu-bench.md" 2>>"$OUT/run.log" || true
  log "done: $OUT"
}
trap finish EXIT

meta() {
  local commit machine
  commit=$(git rev-parse --short HEAD 2>/dev/null || node -e "console.log(require('$STAGE_DIR/manifest.json').commit)" 2>/dev/null || echo unknown)
  machine=$( (nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || echo "no GPU") | head -1)
  machine="$machine; $(nproc) cores; node $(node --version)"
  printf '{"kind":"meta","date":"%s","commit":"%s","machine":"%s","command":"bash bench/gpu/run.sh %s"}\n' \
    "$(date -u +%Y-%m-%dT%H:%MZ)" "$commit" "$machine" "$1" >> "$RESULTS"
}

write_model() { # dtype
  local file=$MODELS/onnx/model_$1.onnx
  [ "$1" = fp32 ] && file=$MODELS/onnx/model.onnx
  if [ -f "$file" ]; then log "model $1 already written"; return; fi
  log "writing $SHAPE $1 → $MODELS"
  BENCH write --out "$MODELS" --dtype "$1" --shape "$SHAPE" 2>&1 | tail -3 | tee -a "$OUT/run.log"
  df -h "$STAGE_DIR" | tail -1 | tee -a "$OUT/run.log"
}

placement() { # dtype
  BENCH placement --model "$MODELS" --dtype "$1" --device "$DEVICE" 2> "$OUT/placement-$1.log" | tee -a "$OUT/run.log" || true
  grep -E "placed on|Node placements" "$OUT/placement-$1.log" | sed 's/^.*VerifyEachNodeIsAssignedToAnEp\] *//' | sort | uniq -c | tee -a "$OUT/run.log" || true
}

fused() { # dtype
  log "fused + step-by-step, $1, $DEVICE, $NEW new tokens, K=$CHUNKS"
  BENCH fused --model "$MODELS" --dtype "$1" --device "$DEVICE" --new "$NEW" --chunks "$CHUNKS" --modes carry,recompute --stepwise 2>>"$OUT/run.log" | tee -a "$OUT/run.log"
}

engine() { # dtype (both decoders: transformers.js generate, then the fused loop)
  log "engine (transformers.js generate and fused loop) $1 $DEVICE"
  BENCH engine --model "$MODELS" --dtype "$1" --device "$DEVICE" --new "$NEW" 2>>"$OUT/run.log" | tee -a "$OUT/run.log"
}

case "${1:-}" in
  setup)
    cd "$STAGE_DIR"
    [ -f manifest.json ] || { echo "no $STAGE_DIR/manifest.json (carry .gpu/manifest.json with the last part)"; exit 1; }
    node_ok=$(python3 - <<'EOF'
import hashlib, json, os
m = json.load(open("manifest.json"))
bad = []
for p in m["parts"]:
    if not os.path.exists(p["name"]) or hashlib.sha256(open(p["name"], "rb").read()).hexdigest() != p["sha256"]:
        bad.append(p["name"])
print(",".join(bad) or "ok")
EOF
)
    [ "$node_ok" = ok ] || { echo "missing or corrupt parts: $node_ok"; exit 1; }
    rm -rf b && cat part_* | xz -d | tar xf - && rm -f part_*
    cd "$REPO"
    [ -e node_modules ] || ln -s "$STAGE_DIR/b/node_modules" node_modules
    export PATH="$STAGE_DIR/b:$PATH"
    log "node $(node --version); $(ls node_modules/onnxruntime-node/bin/napi-v6/linux/x64/)"
    ldd node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime_providers_cuda.so | grep "not found" | tee -a "$OUT/run.log" || log "ldd: CUDA provider resolves all libraries"
    nvidia-smi --query-gpu=name,driver_version,memory.total,memory.used --format=csv | tee -a "$OUT/run.log" || true
    ;;
  fp16)
    meta fp16; write_model fp16; placement fp16; fused fp16 ;;
  engine-fp16)
    meta engine-fp16; write_model fp16; engine fp16 ;;
  pytorch)
    meta pytorch
    PROMPT=$(TSX bench/gpu/bench.ts prompt | node -e "process.stdin.on('data',d=>console.log(JSON.parse(d).promptTokens))")
    log "pytorch anchors, prompt $PROMPT, new $NEW"
    PROMPT=$PROMPT NEW=$NEW RESULTS=$RESULTS SHAPE=$SHAPE DEVICE=$DEVICE python3 bench/gpu/pytorch_bench.py 2>>"$OUT/run.log" | tee -a "$OUT/run.log" ;;
  q4f16)
    meta q4f16; write_model q4f16; placement q4f16; fused q4f16 ;;
  engine-q4f16)
    meta engine-q4f16; write_model q4f16; engine q4f16 ;;
  concurrency)
    meta concurrency
    DTYPE=${DTYPE:-fp16}; write_model "$DTYPE"
    PORT=${PORT:-7861}
    MODEL_PATH=$MODELS DEVICE=$DEVICE DTYPE=$DTYPE PORT=$PORT LOG_LEVEL=warn TSX server/main.ts > "$OUT/server.log" 2>&1 &
    SERVER=$!
    trap 'kill $SERVER 2>/dev/null; finish' EXIT
    for _ in $(seq 1 300); do
      curl -sf "http://127.0.0.1:$PORT/api/ready" 2>/dev/null | grep -q '"ready"' && break
      kill -0 $SERVER 2>/dev/null || { log "server exited"; tail -20 "$OUT/server.log"; exit 1; }
      sleep 1
    done
    log "server ready; levels ${LEVELS:-1,4,20}, $NEW new tokens"
    BENCH concurrency --url "http://127.0.0.1:$PORT" --levels "${LEVELS:-1,4,20}" --new "$NEW" --stack "server (engine)" --dtype "$DTYPE" 2>>"$OUT/run.log" | tee -a "$OUT/run.log" ;;
  report) ;;
  *) exit 2 ;;
esac
