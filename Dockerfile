# syntax=docker/dockerfile:1.7
# One image for Hugging Face Spaces (Docker SDK) and Google Cloud Run (NVIDIA L4).
#
#   docker build -t mermaid-flow .
#   docker build --secret id=HF_TOKEN,env=HF_TOKEN --build-arg BAKE_MODEL=1 -t mermaid-flow .   # model inside the image
#   docker run --gpus all -p 7860:7860 mermaid-flow
#
# Where the model comes from at start (scripts/fetch-model-start.sh):
#   MODEL_PATH=/dir   a local directory (baked in with BAKE_MODEL=1: used automatically)
#   MODEL_PATH=gs://bucket/prefix   synced to $MODEL_DIR with progress, then used
#   unset, nothing baked   the server downloads MODEL_ID from the Hub (HF_TOKEN when set)
# Secrets (HF_TOKEN, API_KEY) are never build args or ENV: at build time HF_TOKEN
# is a BuildKit secret mount; at run time the platform passes them as environment.

ARG NODE_IMAGE=node:20-bookworm-slim
ARG CUDA_IMAGE=nvidia/cuda:12.8.1-cudnn-runtime-ubuntu22.04

# ---- deps: production node_modules + onnxruntime-node's CUDA 12 provider ----
# Depends only on the manifests, scripts/ and the engine's CUDA helper, so the layers below it (and a
# baked model) stay cached while the app's sources change.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY scripts ./scripts
# scripts/cuda/install.ts shares the provider paths with the engine.
COPY server/engine/cuda.ts ./server/engine/cuda.ts
# .npmrc skips onnxruntime-node's CUDA download; it is installed on purpose here.
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm run cuda:install -- --cuda 12 \
 && npm cache clean --force

# ---- build: the UI bundle (dev dependencies live only here) ------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# ---- runtime: CUDA 12 + cuDNN 9 user-space libraries, Node 20, uid 1000 -------
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
COPY --from=deps --chown=1000:1000 /app/scripts ./scripts

# Optional: bake the model into the image (BAKE_MODEL=1). The token is read
# from the secret mount inside this one RUN and never stored in a layer.
ARG BAKE_MODEL=0
ARG MODEL_ID=onnx-community/Qwen3-4B-Instruct-2507-ONNX
ARG MODEL_DTYPE=q4f16
RUN --mount=type=secret,id=HF_TOKEN,mode=0444,required=false \
    if [ "$BAKE_MODEL" = "1" ]; then \
      node --import tsx scripts/fetch-model.ts hub --model "$MODEL_ID" --dtype "$MODEL_DTYPE" --out "$MODEL_DIR"; \
    else mkdir -p "$MODEL_DIR"; fi

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
