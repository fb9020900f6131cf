//! Discovery, classification and format lowering (CloudFormation/SAM, ...) into the Warden model.
