package amiboot.boot;

import amiboot.deploy.Deployer;
import amiboot.deploy.Revision;
import amiboot.deploy.SourceRepository;
import amiboot.metadata.MetadataSnapshot;
import amiboot.process.RunAs;

/**
 * The outcome of the read-only steps (metadata, config): what to do, the means to do it, and the
 * repository's revision as seen then.
 */
record Prepared(MetadataSnapshot metadata, BootPlan plan, RunAs runAs, SourceRepository source, Deployer deployer,
    Revision upstream) {}
