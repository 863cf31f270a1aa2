package dev.spate.operator.resources;

import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.operator.spark.DriverConfParity;
import dev.spate.operator.spark.JobPlan;
import dev.spate.operator.spark.SparkProperties;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDNoGCKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * The headless Service {@code <job>-driver-svc} that gives the driver a stable DNS name ({@code
 * spark.driver.host}) for executors, as Spark's {@code DriverServiceFeatureStep} does: driver RPC
 * 7078, block manager 7079, UI 4040 (or {@code spark.ui.port}).
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class DriverService extends CRUDNoGCKubernetesDependentResource<Service, StreamingJob> {

  /** Creates the dependent (JOSDK instantiates it from the reconciler's workflow). */
  public DriverService() {
    super(Service.class);
  }

  /** The live object is found by its deterministic name, also during cleanup. */
  @Override
  protected ResourceID targetSecondaryResourceID(StreamingJob job, Context<StreamingJob> context) {
    return new ResourceID(
        new JobNames(job.getMetadata().getName()).driverService(),
        job.getMetadata().getNamespace());
  }

  @Override
  protected Service desired(StreamingJob job, Context<StreamingJob> context) {
    return Owned.ownedBy(build(PlanContext.get(context)), job);
  }

  /**
   * The Service for a plan.
   *
   * @param plan the resolved job
   * @return a headless Service selecting the job's driver pod
   */
  public static Service build(JobPlan plan) {
    return new ServiceBuilder()
        .withMetadata(Owned.meta(plan, plan.names().driverService()))
        .withNewSpec()
        .withClusterIP("None")
        .addToSelector(Labels.JOB, plan.name())
        .addToSelector(Labels.SPARK_ROLE, Labels.ROLE_DRIVER)
        .addNewPort()
        .withName("driver-rpc-port")
        .withPort(SparkProperties.DRIVER_PORT)
        .withNewTargetPort(SparkProperties.DRIVER_PORT)
        .withProtocol("TCP")
        .endPort()
        .addNewPort()
        .withName("blockmanager")
        .withPort(SparkProperties.BLOCK_MANAGER_PORT)
        .withNewTargetPort(SparkProperties.BLOCK_MANAGER_PORT)
        .withProtocol("TCP")
        .endPort()
        .addNewPort()
        .withName("spark-ui")
        .withPort(DriverConfParity.uiPort(plan.userSparkConf()))
        .withNewTargetPort(DriverConfParity.uiPort(plan.userSparkConf()))
        .withProtocol("TCP")
        .endPort()
        .endSpec()
        .build();
  }
}
