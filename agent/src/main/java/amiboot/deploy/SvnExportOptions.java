package amiboot.deploy;

import java.text.DateFormat;
import java.text.SimpleDateFormat;
import org.tmatesoft.svn.core.internal.wc.DefaultSVNOptions;

/**
 * SVNKit's options for an export, taken from no config file (~/.subversion, /etc/subversion):
 * a release's bytes then depend on the repository and on this box's time zone and locale only
 * (which {@link SvnOrigin} records), not on the deploying user's svn client settings. It is also
 * cheaper: SVNKit looked up its global charset in those files for every file it wrote, about a
 * tenth of an export's CPU.
 */
final class SvnExportOptions extends DefaultSVNOptions {
  /** SVNKit's own $Date$ format, in the JVM's default time zone and locale, as without a config. */
  private static final String KEYWORD_DATE = "yyyy-MM-dd' 'HH:mm:ss' 'ZZZZ' ('E', 'dd' 'MMM' 'yyyy')'";

  private final DateFormat keywordDate = new SimpleDateFormat(KEYWORD_DATE);

  SvnExportOptions() {
    super(null, true);
  }

  /** No svnkit:global-charset: a file is written in the bytes the repository holds (svn's own behaviour). */
  @Override
  public String getGlobalCharset() {
    return null;
  }

  @Override
  public DateFormat getKeywordDateFormat() {
    return keywordDate;
  }
}
