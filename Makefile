# huiwu — 会务文档生成。常用命令：make（生成全部文档和内网站点）、make test（运行测试）、make serve（在本机预览站点）。
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: all build test check fonts bench clean setup serve

all: build

build: setup
	@$(PY) build.py build

check: setup
	@$(PY) build.py check

fonts: setup
	@$(PY) build.py fonts

test: setup
	$(PY) -m ruff check huiwu build.py tests bench tools
	$(PY) -m mypy huiwu build.py
	$(PY) -m pytest -q tests

# Preview the intranet site at http://127.0.0.1:8000/ (this computer only); Ctrl+C stops it.
SERVE_PORT ?= 8000
serve: build
	@$(PY) -c "from huiwu.site import serve; serve('output/site', $(SERVE_PORT))"

bench: setup
	$(PY) bench/bench.py

clean:
	rm -rf output

setup: $(VENV)/.system-ok $(VENV)/.installed

# System packages (Pango, HarfBuzz subsetting, CJK fonts): checked once, re-checked when the list changes.
$(VENV)/.system-ok: tools/setup-system.sh
	@sh tools/setup-system.sh
	@mkdir -p $(VENV) && touch $@

# Python packages, pinned in requirements.txt: reinstalled only when it changes.
$(VENV)/.installed: requirements.txt $(VENV)/.system-ok
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "正在安装 Python 依赖（requirements.txt）…"
	@$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	@touch $@
