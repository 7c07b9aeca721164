package amiboot.boot;

import amiboot.deploy.Deployer;
import amiboot.deploy.SourceRepository;
import amiboot.metadata.MetadataSnapshot;
import amiboot.process.RunAs;

/** The outcome of the read-only steps (metadata, config): what to do and the means to do it. */
record Prepared(MetadataSnapshot metadata, BootPlan plan, RunAs runAs, SourceRepository source, Deployer deployer) {}
