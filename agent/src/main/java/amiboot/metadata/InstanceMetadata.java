package amiboot.metadata;

import amiboot.pipeline.BootException;

/** The metadata service, as amiboot needs it. */
public interface InstanceMetadata {
  MetadataSnapshot read() throws BootException;
}
