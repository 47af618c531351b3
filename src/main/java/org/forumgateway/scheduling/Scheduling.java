package org.forumgateway.scheduling;

import org.forumgateway.storage.WriteLane;
import org.quartz.CronScheduleBuilder;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobDataMap;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.spi.JobFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Date;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TimeZone;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Quartz, in memory: its JDBC job store does not work on SQLite, so the database stays the source of truth of
 * what is due and the owners of scheduled work rebuild their triggers from it at start. Jobs are plain
 * {@link Runnable}s registered under a name; a failing run is logged once and the schedule goes on.
 */
public final class Scheduling implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Scheduling.class);
    private static final String TASK = "task";
    /** Marks the trigger of a {@link #runNow} run. */
    private static final String EXTRA_RUN = "extra-run";
    /** How long a stop waits for a running job: jobs are short, and the whole stop has about 15 s. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);
    /** Numbers each start's scheduler: Quartz keeps them by name (see {@link #start}). */
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final Scheduler scheduler;
    private final Clock clock;
    private final Map<String, Runnable> tasks = new ConcurrentHashMap<>();
    /** Tasks with a {@link #runNow} run asked for that has not started yet. */
    private final Set<String> extraRunsWaiting = ConcurrentHashMap.newKeySet();

    private Scheduling(Scheduler scheduler, Clock clock) {
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /** @param clock the application's clock: times given to {@link #at} are read on it */
    public static Scheduling start(Clock clock) {
        Properties properties = new Properties();
        // Quartz keeps its schedulers by name for the whole JVM and hands a lookup the one still stopping (a stop
        // that waits for a running job goes on after close() gave up on it), which then refuses to start: each
        // start takes a name of its own.
        properties.setProperty("org.quartz.scheduler.instanceName", "forum-gateway-" + INSTANCES.incrementAndGet());
        properties.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        properties.setProperty("org.quartz.threadPool.threadCount", "3");
        properties.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
        properties.setProperty("org.quartz.scheduler.makeSchedulerThreadDaemon", "true");
        properties.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        properties.setProperty("org.quartz.jobStore.misfireThreshold", "5000");
        try {
            Scheduler scheduler = new StdSchedulerFactory(properties).getScheduler();
            Scheduling scheduling = new Scheduling(scheduler, clock);
            scheduler.setJobFactory(scheduling.jobFactory());
            scheduler.start();
            return scheduling;
        } catch (SchedulerException e) {
            throw new IllegalStateException("Cannot start the scheduler", e);
        }
    }

    /** Runs {@code task} every {@code period}, the first time after one period. */
    public void every(String name, Duration period, Runnable task) {
        schedule(name, task, TriggerBuilder.newTrigger()
                .startAt(Date.from(Instant.now().plus(period)))
                .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                        .withIntervalInMilliseconds(period.toMillis())
                        .repeatForever()
                        .withMisfireHandlingInstructionNextWithRemainingCount())
                .build());
    }

    /** Runs {@code task} once at {@code at}, or at once when that has passed; replaces a task of that name. */
    public void at(String name, Instant at, Runnable task) {
        schedule(name, task, TriggerBuilder.newTrigger()
                // Quartz counts on the system clock; the application's clock may differ (tests move it).
                .startAt(Date.from(Instant.now().plus(Duration.between(clock.instant(), at))))
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow())
                .build());
    }

    /** Runs {@code task} every day at {@code time} in {@code zone}. */
    public void daily(String name, LocalTime time, ZoneId zone, Runnable task) {
        schedule(name, task, TriggerBuilder.newTrigger()
                .withSchedule(CronScheduleBuilder.dailyAtHourAndMinute(time.getHour(), time.getMinute())
                        .inTimeZone(TimeZone.getTimeZone(zone)))
                .build());
    }

    /**
     * Runs the task registered as {@code name} now, as well as at its times; never beside a run of it under way
     * (that one finishes first). Nothing happens when no task has that name, or the scheduler has stopped.
     */
    public void runNow(String name) {
        // One extra run waiting at a time: asked for again before it starts, it covers both.
        if (!extraRunsWaiting.add(name)) {
            return;
        }
        try {
            if (scheduler.checkExists(JobKey.jobKey(name))) {
                scheduler.triggerJob(JobKey.jobKey(name), new JobDataMap(Map.of(EXTRA_RUN, true)));
                return;
            }
        } catch (SchedulerException e) {
            log.debug("Could not run {} now: {}", name, e.getMessage());
        }
        extraRunsWaiting.remove(name);
    }

    public void cancel(String name) {
        try {
            scheduler.deleteJob(JobKey.jobKey(name));
        } catch (SchedulerException e) {
            log.warn("Could not unschedule {}: {}", name, e.getMessage());
        }
        tasks.remove(name);
        extraRunsWaiting.remove(name);
    }

    private void schedule(String name, Runnable task, Trigger trigger) {
        cancel(name);
        tasks.put(name, task);
        JobDetail job = JobBuilder.newJob(NamedJob.class).withIdentity(name).usingJobData(TASK, name).build();
        try {
            scheduler.scheduleJob(job, trigger);
        } catch (SchedulerException e) {
            throw new IllegalStateException("Cannot schedule " + name, e);
        }
    }

    private JobFactory jobFactory() {
        return (bundle, scheduler) -> {
            String name = bundle.getJobDetail().getJobDataMap().getString(TASK);
            Runnable task = tasks.get(name);
            return (Job) context -> {
                boolean extraRun = context.getTrigger().getJobDataMap().containsKey(EXTRA_RUN);
                if (extraRun) {
                    extraRunsWaiting.remove(name);
                }
                if (task == null) {
                    return;
                }
                WriteLane.BACKGROUND.enter();
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("Scheduled task {} failed", name, e);
                }
                // A one-shot task is done after its run; a run asked for now is not the task's last.
                if (!context.getTrigger().mayFireAgain() && !extraRun) {
                    tasks.remove(name, task);
                }
            };
        };
    }

    /**
     * Stops the scheduler, letting a running job finish, for at most {@link #STOP_WAIT}. Quartz's own wait has no
     * limit and was seen once to wait forever for a worker thread that no longer existed (its pool still counted
     * it busy; the same hang is quartz-scheduler/quartz#448): a stop must end whatever the library's state.
     */
    @Override
    public void close() {
        Thread stopping = new Thread(() -> {
            try {
                scheduler.shutdown(true);
            } catch (SchedulerException e) {
                log.warn("Stopping the scheduler: {}", e.getMessage());
            }
        }, "scheduler-stop");
        stopping.setDaemon(true);
        stopping.start();
        try {
            stopping.join(STOP_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (stopping.isAlive()) {
            log.warn("The scheduler did not stop within {} s; going on without it (a job that was running may not "
                    + "have finished: whatever it had not committed runs again at the next start)",
                    STOP_WAIT.toSeconds());
        }
    }

    /** Never run itself: the job factory supplies the task registered under the job's name. */
    @DisallowConcurrentExecution
    public static final class NamedJob implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            throw new UnsupportedOperationException("created through the job factory");
        }
    }
}
