// The Phase 4 root module's two Cosmos DB restore variables (templates/terraform/phase4_prod/variables.tf), for the
// terraform_data stand-ins that take an armed restore through -var-file as the real stack does.
export const COSMOS_RESTORE_VARIABLES_HCL = `
variable "cosmos_restore_source_id" {
  type    = string
  default = null
}

variable "cosmos_restore_timestamp" {
  type    = string
  default = null
}
`;
