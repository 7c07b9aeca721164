package amiboot.deploy;

import amiboot.config.RepositoryType;
import amiboot.pipeline.Messages;
import amiboot.pipeline.UnavailableException;
import java.nio.file.Path;
import java.util.Optional;

/** The repository to deploy, with variables already substituted. Holds the password file's path, never the password. */
public record SourceSpec(
    RepositoryType type,
    String url,
    Optional<String> username,
    Optional<Path> passwordFile,
    Optional<String> branch,
    Optional<String> revision) {

  /** For messages and plans: type, url and what is picked. */
  public String describe() {
    StringBuilder s = new StringBuilder(type.label()).append(' ').append(displayUrl());
    branch.ifPresent(b -> s.append(" branch ").append(b));
    revision.ifPresent(r -> s.append(" revision ").append(r));
    username.ifPresent(u -> s.append(" as ").append(u));
    return s.toString();
  }

  /** The url as amiboot prints it: any user info (a token, a user name) masked. */
  public String displayUrl() {
    return redact(url);
  }

  /** A library's message with the raw url replaced by {@link #displayUrl()}, on one line. */
  public String masked(String message) {
    return Messages.oneLine(message.replace(url, displayUrl()));
  }

  /** A repository that does not exist: not worth retrying. */
  public UnavailableException notFound(String detail) {
    return UnavailableException.permanent("repository not found (" + displayUrl() + "): check repository.url" + detail);
  }

  /** Masks everything between {@code scheme://} and the last {@code @} before the path. */
  public static String redact(String url) {
    return url.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^@]*@", "$1****@");
  }
}
