"""Multilingual plain text from Debian's packages (translated manual pages, LibreOffice help,
Debian's documentation): one deduplicated UTF-8 file per language and a manifest with each
package's version, licence and character counts (mooscomp_models/multilingual_text.py).

Needs apt with a package index (`apt-get update` once), dpkg-deb and groff (groff-base); it
downloads .deb files with `apt-get download` into a scratch folder and unpacks them with
`dpkg-deb -x`: nothing is installed, root is not needed. Resumable: a package already in
OUT/cache for the version apt offers is not fetched again. Sources and licences:
models/DATA_SOURCES.md.

  nice -n 10 /usr/bin/python3 models/fetch_multilingual.py --out models/runs/multilingual
  # OUT/text/<lang>.txt, OUT/manifest.json, OUT/cache/<package>/<version>/
  /usr/bin/python3 models/fetch_multilingual.py --list            # the default packages
  /usr/bin/python3 models/fetch_multilingual.py --languages zh-Hans,ja --out /tmp/ml
"""
import argparse
import sys

from mooscomp_models import multilingual_text as mt


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="models/runs/multilingual", help="output folder (outside git)")
    ap.add_argument("--packages", help="comma-separated packages (default: the built-in list)")
    ap.add_argument("--languages", help="comma-separated languages, e.g. zh-Hans,ja (default: all)")
    ap.add_argument("--extra", action="store_true",
                    help="also the large extra Chinese/Japanese packages (GIMP and KiCad help; ~140 MB of downloads)")
    ap.add_argument("--jobs", type=int, default=2, help="groff / HTML conversions at once")
    ap.add_argument("--list", action="store_true", help="print the default packages and exit")
    args = ap.parse_args(argv)
    if args.list:
        for package, lang in mt.PACKAGES:
            print(f"{package}\t{lang}")
        for package, lang in mt.EXTRA_PACKAGES:
            print(f"{package}\t{lang}\t(--extra)")
        return 0
    missing = mt.requirements()
    if missing:
        print("fetch_multilingual: " + "; ".join(missing), file=sys.stderr)
        return 2
    split = (lambda s: [x.strip() for x in s.split(",") if x.strip()] if s else None)
    languages = split(args.languages)
    for lang in languages or []:
        if lang not in mt.LANGUAGES:
            ap.error(f"unknown language {lang}; known: {', '.join(mt.LANGUAGES)}")
    manifest = mt.fetch_all(args.out, packages=split(args.packages), languages=languages, extra=args.extra,
                            jobs=args.jobs,
                            log=lambda m: print(m, flush=True))
    langs = manifest["languages"]
    print(f"{len(manifest['packages'])} packages, {len(langs)} languages, "
          f"{sum(v['chars'] for v in langs.values()):,} chars -> {args.out}/text, {args.out}/manifest.json")
    failed = [k for k, v in langs.items() if not v["check"]["ok"]]
    if failed:
        print("language check failed for: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
