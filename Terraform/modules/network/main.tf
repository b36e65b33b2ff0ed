# Security groups with only the flows the pipeline needs, and VPC endpoints so that Glue, the
# rotation Lambda and the SFTP server never need a route to the internet.

data "aws_vpc" "this" {
  id = var.vpc_id
}

data "aws_ec2_managed_prefix_list" "s3" {
  name = "com.amazonaws.${var.aws_region}.s3"
}

# ------------------------------------------------------------------ security groups
resource "aws_security_group" "glue" {
  name        = "${var.name_prefix}-glue"
  description = "Glue job and crawler ENIs"
  vpc_id      = var.vpc_id
  tags        = { Name = "${var.name_prefix}-glue" }
}

resource "aws_security_group" "rotation" {
  name        = "${var.name_prefix}-secret-rotation"
  description = "Secrets Manager rotation Lambda for the ODS password"
  vpc_id      = var.vpc_id
  tags        = { Name = "${var.name_prefix}-secret-rotation" }
}

resource "aws_security_group" "endpoints" {
  name        = "${var.name_prefix}-vpc-endpoints"
  description = "Interface VPC endpoints used by the pipeline"
  vpc_id      = var.vpc_id
  tags        = { Name = "${var.name_prefix}-vpc-endpoints" }
}

resource "aws_security_group" "sftp" {
  name        = "${var.name_prefix}-sftp"
  description = "SFTP server: port 22 from the external system only"
  vpc_id      = var.vpc_id
  tags        = { Name = "${var.name_prefix}-sftp" }
}

# Glue workers talk to each other on all TCP ports: AWS requires a self-referencing rule.
resource "aws_vpc_security_group_ingress_rule" "glue_self" {
  security_group_id            = aws_security_group.glue.id
  referenced_security_group_id = aws_security_group.glue.id
  ip_protocol                  = "tcp"
  from_port                    = 0
  to_port                      = 65535
  description                  = "Glue workers among themselves"
}

resource "aws_vpc_security_group_egress_rule" "glue_self" {
  security_group_id            = aws_security_group.glue.id
  referenced_security_group_id = aws_security_group.glue.id
  ip_protocol                  = "tcp"
  from_port                    = 0
  to_port                      = 65535
  description                  = "Glue workers among themselves"
}

# Glue and the rotation Lambda -> ODS (PostgreSQL).
resource "aws_vpc_security_group_egress_rule" "to_ods" {
  for_each          = { for pair in setproduct(["glue", "rotation"], var.ods_cidr_blocks) : "${pair[0]}-${pair[1]}" => pair }
  security_group_id = each.value[0] == "glue" ? aws_security_group.glue.id : aws_security_group.rotation.id
  cidr_ipv4         = each.value[1]
  ip_protocol       = "tcp"
  from_port         = var.ods_port
  to_port           = var.ods_port
  description       = "PostgreSQL to the ODS"
}

resource "aws_vpc_security_group_ingress_rule" "ods_from_pipeline" {
  for_each                     = var.ods_security_group_id == null ? {} : { glue = aws_security_group.glue.id, rotation = aws_security_group.rotation.id }
  security_group_id            = var.ods_security_group_id
  referenced_security_group_id = each.value
  ip_protocol                  = "tcp"
  from_port                    = var.ods_port
  to_port                      = var.ods_port
  description                  = "${var.name_prefix} ${each.key} to the ODS"
}

# Glue, rotation Lambda and SFTP server -> interface endpoints (HTTPS) and S3 gateway endpoint.
resource "aws_vpc_security_group_egress_rule" "to_endpoints" {
  for_each                     = { glue = aws_security_group.glue.id, rotation = aws_security_group.rotation.id, sftp = aws_security_group.sftp.id }
  security_group_id            = each.value
  referenced_security_group_id = aws_security_group.endpoints.id
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  description                  = "HTTPS to the VPC interface endpoints"
}

resource "aws_vpc_security_group_egress_rule" "to_s3" {
  for_each          = { glue = aws_security_group.glue.id, sftp = aws_security_group.sftp.id }
  security_group_id = each.value
  prefix_list_id    = data.aws_ec2_managed_prefix_list.s3.id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  description       = "HTTPS to S3 through the gateway endpoint"
}

resource "aws_vpc_security_group_ingress_rule" "endpoints_from_pipeline" {
  for_each                     = { glue = aws_security_group.glue.id, rotation = aws_security_group.rotation.id, sftp = aws_security_group.sftp.id }
  security_group_id            = aws_security_group.endpoints.id
  referenced_security_group_id = each.value
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  description                  = "HTTPS from ${each.key}"
}

# The external system -> SFTP, from its CIDRs only (validated: never 0.0.0.0/0).
resource "aws_vpc_security_group_ingress_rule" "sftp" {
  for_each          = toset(var.sftp_allowed_cidrs)
  security_group_id = aws_security_group.sftp.id
  cidr_ipv4         = each.value
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  description       = "SFTP from the external system"
}

# ------------------------------------------------------------------ VPC endpoints
resource "aws_vpc_endpoint" "s3" {
  vpc_id            = var.vpc_id
  service_name      = "com.amazonaws.${var.aws_region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = var.route_table_ids
  tags              = { Name = "${var.name_prefix}-s3" }
}

resource "aws_vpc_endpoint" "interface" {
  for_each            = var.create_interface_endpoints ? toset(var.interface_endpoint_services) : toset([])
  vpc_id              = var.vpc_id
  service_name        = "com.amazonaws.${var.aws_region}.${each.value}"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = var.subnet_ids
  security_group_ids  = [aws_security_group.endpoints.id]
  private_dns_enabled = true
  tags                = { Name = "${var.name_prefix}-${each.value}" }
}
