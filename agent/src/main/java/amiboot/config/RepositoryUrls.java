package amiboot.config;

import java.util.regex.Pattern;

/**
 * Checks on {@code repository.url} made at config time, on the text as written. The check
 * never quotes the URL back: a URL that fails it may hold a secret in a shape not recognised.
 */
final class RepositoryUrls {
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://");

  private RepositoryUrls() {}

  /**
   * Whether the URL carries a password in its user part ({@code scheme://user:password@host/...}).
   *
   * <p>With a scheme, the user part is everything between {@code ://} and the LAST '@': a password
   * may hold '/', '@' or ':' (written unencoded, as people do), and {@code http://bob:pa/ss@host/x}
   * must not slip through. It holds a password when it holds a ':' ({@code ssh://git@host:22/x} has
   * its ':' after the '@' and passes). The price is a false positive when the path or query holds an
   * '@' after a ':' that belongs to the host ({@code https://h:8443/x@y}): from the text alone that
   * cannot be told from a password, and refusing it is the safe side; writing that '@' as %40 passes.
   *
   * <p>Without a scheme (git's scp-like {@code user:password@host:path}, which JGit reads with a
   * password too), user and password hold no '/', so the part before the first '/' is searched.
   */
  static boolean holdsPassword(String url) {
    var scheme = SCHEME.matcher(url);
    String rest;
    if (scheme.find()) {
      rest = url.substring(scheme.end());
    } else if (url.startsWith("/")) {
      return false; // a local path
    } else {
      int slash = url.indexOf('/');
      rest = slash < 0 ? url : url.substring(0, slash);
    }
    int at = rest.lastIndexOf('@');
    return at >= 0 && rest.substring(0, at).indexOf(':') >= 0;
  }
}
