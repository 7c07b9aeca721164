package amiboot.config;

import java.util.regex.Pattern;

/**
 * Checks on {@code repository.url} made at config time, on the text as written. Neither check
 * quotes the URL back: a URL that fails them may hold a secret in a shape not recognised.
 */
public final class RepositoryUrls {
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://");
  private static final Pattern SCHEME_URL = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.+");
  /** git's scp-like form: [user@]host:path, the host a name or a bracketed IPv6 address. */
  private static final Pattern SCP_LIKE =
      Pattern.compile("^(?:[^/\\s]+@)?(?:[A-Za-z0-9][A-Za-z0-9._-]*|\\[[0-9A-Fa-f:.]+\\]):.+");

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
  public static boolean holdsPassword(String url) {
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

  /**
   * Whether the URL has a shape the repository type can read: {@code scheme://...} for both;
   * for git also an absolute path and the scp-like {@code [user@]host:path}. A URL with variables
   * is checked after substitution, not here.
   */
  static boolean looksLikeRepository(String url, RepositoryType type) {
    if (SCHEME_URL.matcher(url).matches()) {
      return true;
    }
    return type == RepositoryType.GIT && (url.startsWith("/") || SCP_LIKE.matcher(url).matches());
  }
}
