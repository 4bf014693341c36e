# Sourced by ./mvnw, ./pxlab and .ci/run: point JAVA_HOME at a JDK 25 or newer.
#
# `java` on PATH may be older (this machine kind ships 17 as the default), and
# pxlab is compiled with `release 25` and uses the final FFM API, so Maven itself
# and every forked JVM must run on 25+. Candidates, first match wins:
# $PXLAB_JAVA_HOME, $JAVA_HOME, then the usual install folders. The version is
# read from each JDK's `release` file, so no JVM is started to find one.
pxlab_jdk_major() {
  [ -f "$1/release" ] && [ -x "$1/bin/java" ] || return 1
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release"
}
pxlab_find_jdk25() {
  # The wrapper runs with `set -f`; the candidate folders are globs.
  case $- in *f*) pxlab_noglob=1; set +f ;; *) pxlab_noglob= ;; esac
  for candidate in "${PXLAB_JAVA_HOME-}" "${JAVA_HOME-}" \
      /usr/lib/jvm/* /usr/lib64/jvm/* /opt/java/* /opt/jdk* \
      "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* \
      /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -n "$candidate" ] || continue
    major=$(pxlab_jdk_major "$candidate") || continue
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      printf '%s\n' "$candidate"
      [ -z "$pxlab_noglob" ] || set -f
      return 0
    fi
  done
  [ -z "$pxlab_noglob" ] || set -f
  return 1
}
if pxlab_jdk_home=$(pxlab_find_jdk25); then
  JAVA_HOME=$pxlab_jdk_home
  export JAVA_HOME
else
  echo "pxlab needs a JDK 25 or newer, and none was found." >&2
  echo "Looked at \$PXLAB_JAVA_HOME, \$JAVA_HOME, /usr/lib/jvm, /opt/java, ~/.sdkman and ~/.jdks." >&2
  echo "Install one (e.g. Temurin 25) and set PXLAB_JAVA_HOME to its folder." >&2
  exit 1
fi
