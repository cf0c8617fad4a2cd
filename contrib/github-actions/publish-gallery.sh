#!/bin/sh
# Publishes mod galleries from CI: queues what a gallery folder or manifest asks for
# (`modimg-queue enqueue`), then works the queue (`modimg-queue work`). Made for a fresh machine
# and a fresh database every run: `enqueue` reads each mod's live gallery, so images already
# there are not sent again, and a second run with the same gallery uploads nothing.
#
# Usage: publish-gallery.sh GALLERY
#   GALLERY: a folder of per-mod folders (<folder>/<mod-name>/*.png), or a .toml / .json manifest.
#
# Environment:
#   MOD_EDIT_API_KEY       the API key (ModPortal: Edit Mods usage), from a secret; or
#   MODIMG_API_KEY_FILE    a file holding it, mode 600
#   MODIMG_PORTAL_URL      the portal (default: https://mods.factorio.com)
#   MODIMG_QUEUE_DB        the queue (default: $RUNNER_TEMP/modimg-queue.sqlite3, a fresh one per run)
#   MODIMG_RATE            requests allowed (default: modimg-queue's own, 30/min)
#   MODIMG_QUEUE           the modimg-queue program (default: modimg-queue on PATH)
#   GITHUB_STEP_SUMMARY    set by GitHub Actions: the run's Markdown summary is appended to it
#
# Exit status: 0 when everything was queued and done; 1 when a mod could not be planned or a job
# failed (the summary and the ::error lines say which, and what to do); 2 for a missing or refused key.
set -eu

gallery=${1:?usage: publish-gallery.sh GALLERY-FOLDER-OR-MANIFEST}
modimg=${MODIMG_QUEUE:-modimg-queue}
db=${MODIMG_QUEUE_DB:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}/modimg-queue.sqlite3}

# Plan: one upload per image the live gallery lacks, then one reorder. A mod whose gallery cannot be
# read gets nothing queued (exit 1), the others are queued; work what was queued all the same.
planned=0
"$modimg" enqueue "$gallery" --db "$db" || planned=$?
if [ "$planned" -gt 1 ]; then exit "$planned"; fi

set -- --db "$db" --no-progress
if [ -n "${MODIMG_API_KEY_FILE:-}" ]; then set -- "$@" --api-key-file "$MODIMG_API_KEY_FILE"; fi
if [ -n "${MODIMG_RATE:-}" ]; then set -- "$@" --rate "$MODIMG_RATE"; fi
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then set -- "$@" --summary-file "$GITHUB_STEP_SUMMARY"; fi
worked=0
"$modimg" work "$@" || worked=$?

if [ "$worked" -ne 0 ]; then exit "$worked"; fi
exit "$planned"
