// The emulator's own types and functions, from its package. Specs import
// '@ticket-portal/hubspot-emulator' directly; this re-export only keeps specs written against the
// old local copy of its interface compiling until they do.
export {
  associationDefinition,
  type CrmRecord as EmuRecord,
  type Emulator,
  type EmulatorOptions,
  startEmulator,
} from '@ticket-portal/hubspot-emulator';
