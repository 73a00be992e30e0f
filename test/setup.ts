import { Testing } from 'cdktf';
// Declares the cdktf matchers (toHaveResourceWithProperties, …) for the type-checker.
import 'cdktf/lib/testing/adapters/jest';

Testing.setupJest();
