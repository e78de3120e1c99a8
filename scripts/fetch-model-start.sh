#!/bin/sh
# The image's start command (Dockerfile CMD). Decides where the model comes
# from, then replaces itself with the server so that SIGTERM reaches it:
#   MODEL_PATH=/some/dir   use it as is (a Cloud Storage volume mount, for one)
#   MODEL_PATH unset       use $MODEL_DIR if a model was baked in there,
#                          else let the server download MODEL_ID from the Hub
set -eu
cd "$(dirname "$0")/.."
case "${MODEL_PATH:-}" in
  gs://*)
    # Copying a bucket by hand before listening raced the startup probe; Cloud Run mounts it instead.
    echo "MODEL_PATH=$MODEL_PATH: a gs:// URL is not read at start. Mount the bucket as a volume" >&2
    echo "(npx tsx deploy.ts cloudrun --model-path $MODEL_PATH does) and set MODEL_PATH to the folder in the mount." >&2
    exit 64
    ;;
  "")
    if [ -n "${MODEL_DIR:-}" ] && [ -f "$MODEL_DIR/config.json" ]; then
      MODEL_PATH="$MODEL_DIR"
      export MODEL_PATH
    fi
    ;;
esac
exec node --import tsx server/main.ts
