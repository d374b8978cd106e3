// Structural shapes of HubSpot JSON as the mappers read it. They accept both the raw wire JSON
// (recorded fixtures: dates as ISO strings, `from`) and what @hubspot/api-client returns after
// deserialising (dates as Date, `_from`), so the mappers never import SDK classes.

export type WireDate = Date | string;

export interface WireObject {
  id: string;
  properties: Record<string, string | null | undefined>;
  createdAt?: WireDate;
  updatedAt?: WireDate;
  archived?: boolean;
  associations?: Record<string, { results?: Array<{ id: string; type?: string }> } | undefined>;
}

export interface WireAssociationType {
  category?: string;
  typeId: number;
  label?: string | null;
}

export interface WireAssociatedObject {
  /** A JSON number on the wire, typed string by the SDK: always read through String(). */
  toObjectId: string | number;
  associationTypes?: WireAssociationType[];
}

export interface WireAssociationBatchResult {
  from?: { id: string };
  _from?: { id: string };
  to: WireAssociatedObject[];
}

export interface WireStage {
  id: string;
  label: string;
  displayOrder: number;
  archived?: boolean;
  metadata?: Record<string, string | undefined>;
}

export interface WirePipeline {
  id: string;
  label: string;
  displayOrder: number;
  archived?: boolean;
  stages: WireStage[];
}

export interface WireOwner {
  id: string;
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  archived?: boolean;
}

export interface WireOption {
  value: string;
  label: string;
  displayOrder?: number;
  hidden?: boolean;
}

export interface WireProperty {
  name: string;
  options?: WireOption[];
}

/** A Files v3 `File` (also the SDK's answer to getById/upload, typed any there). */
export interface WireFile {
  id: string;
  name?: string | null;
  extension?: string | null;
  size?: number | null;
  access?: string | null;
  archived?: boolean;
}
