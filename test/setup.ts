import { Testing } from 'cdktf';
// Declares the cdktf matchers (toHaveResourceWithProperties, …) for the type-checker.
import 'cdktf/lib/testing/adapters/jest';
import { keepTokenStackTracesCheap } from '../stacks/stack-traces';

Testing.setupJest();
keepTokenStackTracesCheap();
