FROM python:3.11-slim
WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
COPY pyproject.toml README.md ./
COPY registry ./registry
COPY matching ./matching
COPY jobs ./jobs
RUN pip install --no-cache-dir .
RUN useradd --system --uid 10001 recruitwatch
USER recruitwatch
EXPOSE 8000
CMD ["recruitwatch", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
