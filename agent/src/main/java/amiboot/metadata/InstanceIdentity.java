package amiboot.metadata;

/** Who this instance is, from the metadata service. */
public record InstanceIdentity(
    String instanceId, String instanceType, String availabilityZone, String region, String localIpv4) {}
