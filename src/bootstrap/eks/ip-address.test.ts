import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isCIDR, isIP, isIPv4, isIPv6 } from "./ip-address.ts";

// Rows follow Go's net.ParseIP and net.ParseCIDR (the parsers nodeadm and the kubelet use): Go
// refuses IPv4 octets with leading zeros since 1.17 (CVE-2021-29923).
describe("IP addresses as Go's net.ParseIP reads them", () => {
  const rows: [string, boolean, boolean][] = [
    ["10.100.0.10", true, false],
    ["0.0.0.0", true, false],
    ["255.255.255.255", true, false],
    ["256.1.1.1", false, false],
    ["010.1.1.1", false, false],
    ["1.2.3", false, false],
    ["1.2.3.4.5", false, false],
    ["fd00::a", false, true],
    ["::", false, true],
    ["::1", false, true],
    ["2001:db8:0:0:0:0:0:1", false, true],
    ["2001:db8::0:0:0:0:0:1", false, false],
    ["1:2:3:4:5:6:7:8:9", false, false],
    ["::ffff:10.0.0.1", false, true],
    ["::ffff:10.0.0.1:1", false, false],
    ["fd00:::1", false, false],
    ["12345::1", false, false],
    ["fe80::1%eth0", false, false],
    ["[::1]", false, false],
    ["", false, false],
  ];
  for (const [text, v4, v6] of rows) {
    it(`${JSON.stringify(text)}: IPv4 ${v4}, IPv6 ${v6}`, () => {
      assert.equal(isIPv4(text), v4);
      assert.equal(isIPv6(text), v6);
      assert.equal(isIP(text), v4 || v6);
    });
  }
});

describe("CIDR blocks as Go's net.ParseCIDR reads them", () => {
  const rows: [string, boolean][] = [
    ["10.100.0.0/16", true],
    ["172.20.0.0/16", true],
    ["10.0.0.0/0", true],
    ["10.0.0.0/32", true],
    ["10.0.0.0/33", false],
    ["10.0.0.0/016", false],
    ["10.0.0.0", false],
    ["fd00:10:96::/108", true],
    ["fd00::/129", false],
    ["10.0.0.0/", false],
    ["10.0.0.0/16 ", false],
  ];
  for (const [text, valid] of rows) {
    it(`${JSON.stringify(text)}: ${valid ? "valid" : "refused"}`, () => {
      assert.equal(isCIDR(text), valid);
    });
  }
});
