/** An IP address's autonomous system, as an offline IP-to-ASN database knows it. */
export interface AsnRecord {
  asn: number;
  organisation: string;
}

/**
 * The port a datacenter signal needs: IP → ASN, answered from memory (no network at run time).
 * `libs/security`'s AsnDatabase reads the shipped data set; tests may pass a map.
 */
export interface AsnLookup {
  lookup(ip: string): AsnRecord | undefined;
}
