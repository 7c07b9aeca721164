package amiboot.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.tmatesoft.svn.core.SVNException;
import org.tmatesoft.svn.core.SVNProperties;
import org.tmatesoft.svn.core.SVNProperty;
import org.tmatesoft.svn.core.internal.util.SVNEncodingUtil;
import org.tmatesoft.svn.core.internal.util.SVNPathUtil;
import org.tmatesoft.svn.core.internal.wc.admin.SVNTranslator;
import org.tmatesoft.svn.core.wc.ISVNOptions;

/**
 * How a file as the repository holds it becomes the file an export writes, by the rules of
 * SVNKit's export editor ({@code SVNExportEditor.closeFile}, keywords expanded) and with its
 * translator: svn:eol-style, svn:keywords, svnkit:charset, svn:special (a symlink). A file with a
 * binary svn:mime-type is only subject to svn:special.
 */
final class SvnTranslation {
  private final String url;
  private final String repositoryRoot;
  private final ISVNOptions options;

  /** {@code url}: the exported URL, for $URL$ and $HeadURL$; {@code repositoryRoot}: for %R in custom keywords. */
  SvnTranslation(String url, String repositoryRoot, ISVNOptions options) {
    this.url = url;
    this.repositoryRoot = repositoryRoot;
    this.options = options;
  }

  /** Rewrites {@code target} (the file at {@code file}, relative to the URL) if its properties ask for it; true if it did. */
  boolean apply(String file, Path target, SVNProperties properties) throws SVNException {
    String mimeType = properties.getStringValue(SVNProperty.MIME_TYPE);
    boolean special = properties.getStringValue(SVNProperty.SPECIAL) != null;
    boolean binary = SVNProperty.isBinaryMimeType(mimeType);
    Map<String, byte[]> keywords = binary ? null : keywords(file, properties);
    String charset = SVNTranslator.getCharset(properties.getStringValue(SVNProperty.CHARSET), mimeType, target.toString(), options);
    charset = binary ? null : charset;
    byte[] eol = binary ? null : eol(properties);
    if (charset == null && eol == null && (keywords == null || keywords.isEmpty()) && !special) {
      return false;
    }
    try {
      // a name of our own beside the file: a fixed one could be a file of the export
      Path translated = Files.createTempFile(target.getParent(), ".amiboot-", ".svn-translated");
      Files.delete(translated); // a symlink is created in its place
      try {
        SVNTranslator.translate(target.toFile(), translated.toFile(), charset, eol, keywords, special, true);
        Files.move(translated, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(translated);
      }
      return true;
    } catch (IOException e) {
      throw SvnTreeEditor.ioError("Cannot translate ''{0}''", target, e);
    }
  }

  private Map<String, byte[]> keywords(String file, SVNProperties properties) {
    String keywords = properties.getStringValue(SVNProperty.KEYWORDS);
    if (keywords == null) {
      return null;
    }
    String fileUrl = SVNPathUtil.append(SVNPathUtil.append(url, SVNEncodingUtil.uriEncode(SVNPathUtil.removeTail(file))),
        SVNEncodingUtil.uriEncode(SVNPathUtil.tail(file)));
    return SVNTranslator.computeKeywords(keywords, fileUrl, repositoryRoot, properties.getStringValue(SVNProperty.LAST_AUTHOR),
        properties.getStringValue(SVNProperty.COMMITTED_DATE), properties.getStringValue(SVNProperty.COMMITTED_REVISION), options);
  }

  private byte[] eol(SVNProperties properties) {
    String style = properties.getStringValue(SVNProperty.EOL_STYLE);
    return style == null ? null : SVNTranslator.getEOL(style, options);
  }
}
