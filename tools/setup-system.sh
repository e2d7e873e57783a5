#!/bin/sh
# Make sure the system parts huiwu needs are installed (Debian/Ubuntu).
# As root: installs them with apt-get. Otherwise: prints the exact command and stops.
set -eu
# chromium: the browser the site tests drive (Playwright uses it; nothing is downloaded).
# libqrencode4: the QR codes of badges and numbered copies (huiwu/layout/qr.py).
# mupdf-tools: a second PDF reader the tests draw the documents with (MuPDF, as in SumatraPDF).
PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libqrencode4 fontconfig fonts-noto-cjk fonts-arphic-ukai fonts-lxgw-wenkai poppler-utils mupdf-tools chromium"
missing=""
# Debian's python3 splits venv into its own package; a python3 that has it needs nothing.
python3 -c "import ensurepip, venv" 2>/dev/null || missing=" python3-venv"
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "缺少系统软件包：$missing"
  echo "请先运行：sudo apt-get install -y$missing"
  exit 1
fi
echo "正在安装系统软件包：$missing"
log=$(mktemp)
if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing; } >"$log" 2>&1; then
  cat "$log"
  echo "安装系统软件包失败（见上面 apt-get 的输出）。"
  rm -f "$log"
  exit 1
fi
rm -f "$log"
