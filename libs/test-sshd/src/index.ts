export { freePort, generateSshKey, PrivateSshd, requireSshd, SSHD_BIN, type SshKeyPair } from './sshd';
export { cuttingProxy, gateProxy, silentListener, switchableEndpoint, type SwitchableEndpoint } from './tcp-proxies';
