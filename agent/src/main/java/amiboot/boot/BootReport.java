package amiboot.boot;

import amiboot.deploy.Deployment;
import java.time.Duration;

/** A successful boot: what was deployed and how long it all took. */
public record BootReport(BootPlan plan, Deployment deployment, Duration took) {}
