# docbot's GitHub Action image.  Released tags point action.yml at the prebuilt image
# on ghcr.io (see .github/workflows/release.yml), so users never build this.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    TIKTOKEN_CACHE_DIR=/opt/tiktoken

# git: to tell whether the workspace checkout is at the pull request's head.
RUN apt-get update \
    && apt-get install -y --no-install-recommends git \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /opt/docbot
COPY docker/constraints.txt ./constraints.txt
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip install --constraint constraints.txt .

# tiktoken downloads encodings on first use; runners may have no route to its CDN,
# so both encodings docbot's models use are fetched now, at build time.
RUN python -c "import tiktoken; [tiktoken.get_encoding(n) for n in ('o200k_base', 'cl100k_base')]" \
    && ls /opt/tiktoken

ENTRYPOINT ["docbot", "action"]
