#!/bin/sh
# Table widget: sort, filter keystroke, refresh and memory with 200,000
# rows (BENCH_TABLE_ROWS to change). Budget: under 50 ms per keystroke.
set -eu
"$K8SNET_BUILD/bench/bench_table" "${BENCH_TABLE_ROWS:-200000}"
