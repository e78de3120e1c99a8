# syntax=docker/dockerfile:1.7
# One image for Hugging Face Spaces (Docker SDK) and Google Cloud Run (NVIDIA L4).
#
#   docker build -t mermaid-flow .
#   docker build --secret id=HF_TOKEN,env=HF_TOKEN --build-arg BAKE_MODEL=1 -t mermaid-flow .   # model inside the image
#   docker run --gpus all -p 7860:7860 mermaid-flow
#
# Where the model comes from at start (scripts/fetch-model-start.sh):
#   MODEL_PATH=/dir   a local directory (baked in with BAKE_MODEL=1: used automatically)
#   MODEL_PATH=/mnt/model/…   a Cloud Storage bucket mounted as a volume (deploy.ts cloudrun --model-path gs://…)
#   unset, nothing baked   the server downloads MODEL_ID from the Hub (HF_TOKEN when set)
# Secrets (HF_TOKEN, API_KEY) are never build args or ENV: at build time HF_TOKEN
# is a BuildKit secret mount; at run time the platform passes them as environment.

# Node 24 LTS: the production runtime (Node 20's support ended 2026-04-30). Its native Float16Array
# trips onnxruntime-node's float16 inputs; server/engine/float16.ts hides it from ONNX Runtime.
ARG NODE_IMAGE=node:24-bookworm-slim
ARG CUDA_IMAGE=nvidia/cuda:12.8.1-cudnn-runtime-ubuntu22.04

# ---- deps: production node_modules + onnxruntime-node's CUDA 12 provider ----
# Depends only on the manifests, the CUDA installer and the engine's CUDA helper (what `npm ci` and
# `cuda:install` read), so the layers below it (and a baked model) stay cached while anything else changes.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# onnxruntime-node's own installer must not download the CUDA provider during npm ci; it is installed
# on purpose below. The variable says so whatever npm does with .npmrc's project key.
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json .npmrc ./
COPY scripts/cuda ./scripts/cuda
# scripts/cuda/install.ts shares the provider paths with the engine.
COPY server/engine/cuda.ts ./server/engine/cuda.ts
# npm's download cache lives in a BuildKit cache mount, not in a layer. Then what the server never
# loads goes: onnxruntime-node's macOS and Windows binaries (~216 MB) and onnxruntime-web (~144 MB;
# transformers.js's Node build bundles what it needs of it).
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --no-audit --no-fund \
 && npm run cuda:install -- --cuda 12 \
 && rm -rf node_modules/onnxruntime-node/bin/napi-v*/darwin node_modules/onnxruntime-node/bin/napi-v*/win32 node_modules/onnxruntime-web

# ---- build: the UI bundle (dev dependencies live only here) ------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json .npmrc ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# ---- runtime: CUDA 12 + cuDNN 9 user-space libraries, Node 24, uid 1000 -------
FROM ${CUDA_IMAGE} AS runtime
# The official Node binary (glibc >= 2.28) runs on Ubuntu 22.04 as is.
COPY --from=build /usr/local/bin/node /usr/local/bin/node
# Spaces run the container as uid 1000; Ubuntu 22.04 has no user with that id yet.
RUN useradd -m -u 1000 user
USER 1000
ENV HOME=/home/user \
    HOST=0.0.0.0 \
    PORT=7860 \
    NODE_ENV=production \
    XDG_CACHE_HOME=/home/user/.cache \
    HF_HOME=/home/user/.cache/huggingface \
    CACHE_DIR=/home/user/.cache/models \
    MODEL_DIR=/home/user/models/model
WORKDIR /home/user/app
COPY --from=deps --chown=1000:1000 /app/node_modules ./node_modules
COPY --from=deps --chown=1000:1000 /app/package.json ./package.json
# Only the downloader: editing another script must not throw away a baked model.
COPY --chown=1000:1000 scripts/fetch-model.ts ./scripts/fetch-model.ts
# with the one rule for which files a dtype needs (shared with the server's download; imports nothing)
COPY --chown=1000:1000 server/engine/hub-files.ts ./server/engine/hub-files.ts

# Bake the model into the image (deploy.ts passes BAKE_MODEL=1 and the commit MODEL_REVISION resolved
# to, for both targets: weights once, never downloaded again at a cold start). A gated or private
# model's token is read from the secret mount inside this one RUN and never stored in a layer.
ARG BAKE_MODEL=0
ARG MODEL_ID=onnx-community/Qwen3-4B-Instruct-2507-ONNX
ARG MODEL_REVISION=main
ARG MODEL_DTYPE=q4f16
RUN --mount=type=secret,id=HF_TOKEN,mode=0444,required=false \
    if [ "$BAKE_MODEL" = "1" ]; then \
      node --import tsx scripts/fetch-model.ts hub --model "$MODEL_ID" --revision "$MODEL_REVISION" --dtype "$MODEL_DTYPE" --out "$MODEL_DIR"; \
    else mkdir -p "$MODEL_DIR"; fi
# The app loads the revision it was baked with (or downloads that one when nothing was baked).
ENV MODEL_REVISION=${MODEL_REVISION}

# The app last: sources from the context (.dockerignore keeps node_modules,
# tests and secrets out), the UI bundle from the build stage.
COPY --chown=1000:1000 . ./
COPY --from=build --chown=1000:1000 /app/dist ./dist

EXPOSE 7860
HEALTHCHECK --interval=30s --timeout=5s --start-period=10m --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||7860)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Run through sh: Hub uploads do not keep the executable bit. The script ends
# with `exec node …`, so the server replaces the shell and receives SIGTERM itself.
CMD ["sh", "scripts/fetch-model-start.sh"]
