/**
 * The work under deploy_to done with the app user's rights. As root with {@code user:}, every
 * change to that tree (the repository cache, the release being built, shared/, current, the
 * release index and log, pruning) is made by a JVM of amiboot's that runs as the user (through
 * setpriv), driven over its stdin and stdout: whatever the user has planted there (a symlink, a
 * directory swapped mid-run) leads only where the user could write anyway. Root itself only
 * hands the user the layout's directories that it made, deepest first, before anything else.
 */
package amiboot.asuser;
