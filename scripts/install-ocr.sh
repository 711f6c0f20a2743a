#!/usr/bin/env bash
# Debian packages for Dutch OCR of scanned PDFs: Tesseract with Dutch language data, and Ghostscript to
# render pages (OCRmyPDF depends on both). Skipped when they are there; without them, scanned pages
# are skipped at ingest with a message naming these packages.
set -euo pipefail
if command -v tesseract >/dev/null 2>&1 && command -v gs >/dev/null 2>&1 \
   && tesseract --list-langs 2>/dev/null | grep -qx nld; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "OCR ontbreekt: installeer de Debian-pakketten 'tesseract-ocr-nld' en 'ghostscript' (of 'ocrmypdf') (scanned PDFs will be skipped)" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends tesseract-ocr tesseract-ocr-nld ghostscript >/dev/null
