package amiboot.metadata;

import java.util.Optional;

/** Everything amiboot reads from the metadata service in one boot. */
public record MetadataSnapshot(InstanceIdentity identity, Optional<RawUserData> userData) {}
