/**
 * The channel between {@code amiboot start}, which supervises a run: role's workers for the
 * instance's life, and the commands that change them while it runs (deploy, rollback) or report on
 * them (status): a Unix domain socket in {@code state_dir}, readable by its owner only, one JSON
 * request and one JSON answer per connection.
 */
package amiboot.control;
