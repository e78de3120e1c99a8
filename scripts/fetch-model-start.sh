#!/bin/sh
# The image's start command (Dockerfile CMD). Decides where the model comes
# from, then replaces itself with the server so that SIGTERM reaches it:
#   MODEL_PATH=gs://bucket/prefix  sync to $MODEL_DIR (progress on stderr), use it
#   MODEL_PATH=/some/dir           use it as is
#   MODEL_PATH unset               use $MODEL_DIR if a model was baked in there,
#                                  else let the server download MODEL_ID from the Hub
set -eu
cd "$(dirname "$0")/.."
case "${MODEL_PATH:-}" in
  gs://*)
    node --import tsx scripts/fetch-model.ts gcs --from "$MODEL_PATH" --out "${MODEL_DIR:?MODEL_DIR must be set}"
    MODEL_PATH="$MODEL_DIR"
    export MODEL_PATH
    ;;
  "")
    if [ -n "${MODEL_DIR:-}" ] && [ -f "$MODEL_DIR/config.json" ]; then
      MODEL_PATH="$MODEL_DIR"
      export MODEL_PATH
    fi
    ;;
esac
exec node --import tsx server/main.ts
