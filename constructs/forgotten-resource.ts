import { TerraformElement } from 'cdktf';
import { Construct } from 'constructs';

/**
 * A Terraform `removed` block with `destroy = false` (Terraform 1.7 and later): the resource that stood at this
 * construct's path leaves the configuration and the state, and stays in Azure. Created at the same construct path
 * as the resource it forgets, it takes the same logical id, so `from` names exactly that resource
 * (https://developer.hashicorp.com/terraform/language/resources/syntax#removing-resources).
 */
export class ForgottenResource extends TerraformElement {
  constructor(
    scope: Construct,
    id: string,
    private readonly resourceType: string,
  ) {
    super(scope, id);
  }

  /** The address of the forgotten resource: `<type>.<logical id>`. */
  get address(): string {
    return `${this.resourceType}.${this.friendlyUniqueId}`;
  }

  override toTerraform(): Record<string, unknown> {
    return { removed: [{ from: this.address, lifecycle: { destroy: false } }] };
  }
}
