package amiboot.deploy;

/** What was deployed: the commit or svn revision, and where it came from (branch, tag, url). */
public record Revision(String id, String source) {}
