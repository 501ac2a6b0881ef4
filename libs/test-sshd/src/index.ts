export {
  cuttingProxy,
  freePort,
  gateProxy,
  generateSshKey,
  PrivateSshd,
  requireSshd,
  silentListener,
  SSHD_BIN,
  switchableEndpoint,
  type SshKeyPair,
  type SwitchableEndpoint,
} from './sshd';
