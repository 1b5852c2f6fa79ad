import { LAB_DIR } from '../paths.ts';

/** Bound over /usr/bin/apt-get and /usr/bin/apt inside every lab host (never on the machine). */
export const APT_SHIM = `${LAB_DIR}/apt-get`;

/**
 * apt inside a lab host. A lab host shares the machine's /usr and dpkg database, so an install
 * there would change the machine. The lab installs every package before the hosts exist; this
 * says so, visibly, for each package the chapter installs, and refuses anything else.
 */
export function aptShimScript(): string {
  return `#!/bin/sh
# apt-get in a lab host (workbook): the host shares the machine's packages, so it installs nothing.
verb=
pkgs=
skip=
for a in "$@"; do
  if [ -n "$skip" ]; then skip=; continue; fi
  case "$a" in
    -o|-c|-t|--option|--config-file|--target-release) skip=1 ;;
    -*) ;;
    *) if [ -z "$verb" ]; then verb=$a; else pkgs="$pkgs $a"; fi ;;
  esac
done
case "$verb" in
  install)
    status=0
    for p in $pkgs; do
      if dpkg-query -W -f='\${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        printf 'lab: %s is installed on this machine by %s; nothing to do\\n' "$p" '\`npm run lab -- up\`'
      else
        printf 'lab: %s is not installed on this machine, and a lab host installs nothing (it shares the machine'"'"'s packages): refused\\n' "$p" >&2
        status=100
      fi
    done
    exit $status ;;
  update)
    echo "lab: a lab host uses the machine's package lists; nothing to do"
    exit 0 ;;
  *)
    echo "lab: apt-get $verb would change the machine's packages, which a lab host shares: refused" >&2
    exit 100 ;;
esac
`;
}
