// EC2NodeClass lives in ec2nodeclass.ts; these names are kept for the modules that import them here.
export {
  type EC2NodeClass,
  EC2NodeClassSchema,
  type EC2NodeClassSpec,
  type EC2NodeClassStatus,
} from "./ec2nodeclass.ts";
